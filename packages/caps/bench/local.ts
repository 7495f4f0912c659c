/**
 * The local half of the caps benchmark: one core's capability operations (retype, copy+delete,
 * mint, map+unmap, translate) per second, through the CSpace API a CPU driver would call, on a
 * mapping database holding a few thousand capabilities, beside baselines measured in the same run.
 */
import { cpus, loadavg } from "node:os";
import { capAddr, rootSlot } from "../src/cspace/address.js";
import type { CapResult } from "../src/errors.js";
import { BOOT_SLOTS, bootCore } from "../src/kernel/boot.js";
import type { CSpace } from "../src/kernel/cspace.js";
import { PhysicalMemory } from "../src/physmem/physical-memory.js";
import { Tlb } from "../src/vnode/tlb.js";
import { ACCESS_READ, ACCESS_USER, ACCESS_WRITE, translate } from "../src/vnode/translate.js";
import { formatRate, measureRate, type Rate, type Stopwatch } from "./harness.js";

/** What the suite runner passes (declared locally, structural). */
export interface LocalContext {
  quick: boolean;
  log(line: string): void;
}
/** One printed table. */
export interface LocalTable {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}
/** The local part's result. */
export interface LocalReport {
  tables: LocalTable[];
  json: Record<string, unknown>;
}

const PAGE = 4096;
const BATCH = 256;

function must(r: CapResult<unknown>, what: string): void {
  if (!r.ok) throw new Error(`${what}: ${r.code} ${r.message}`);
}

/** A core with `fill` 4 KiB frames in L2 CNodes at root slots 1.., so that the MDB is not trivial. */
function setup(fill: number) {
  const mem = new PhysicalMemory({ size: 256 * 1024 * 1024 });
  const { kernel, cspace: cs } = bootCore(mem, {
    core: 0,
    kernelPage: 0,
    ram: { base: 65536, size: mem.size - 65536 },
  });
  // Region plan inside the boot RAM cap: [0, 1 MiB) kernel objects of the bench, then the fill frames.
  let off = 0;
  const take = (bytes: number) => {
    const at = off;
    off += bytes;
    return at;
  };
  const cnodes = Math.ceil(fill / 256) + 2;
  for (let i = 1; i <= cnodes; i++) {
    must(
      cs.retype(
        BOOT_SLOTS.ram,
        { type: "CNode", offset: take(16384), objSize: 16384, count: 1 },
        rootSlot(i),
      ),
      "cnode",
    );
  }
  const work = cnodes; // root slot of the CNode the benchmarks use for destinations
  const levels = ["pml4", "pdpt", "pdir", "ptable"] as const;
  for (const [i, l] of levels.entries()) {
    const req = { type: `VNode_x86_64_${l}`, offset: take(PAGE), objSize: PAGE, count: 1 };
    must(cs.retype(BOOT_SLOTS.ram, req, capAddr(0, 20 + i)), l);
  }

  must(
    cs.map(capAddr(0, 20), capAddr(0, 21), { slot: 0, offset: 0, count: 1, flags: {} }, capAddr(0, 30)),
    "map pdpt",
  );
  must(
    cs.map(capAddr(0, 21), capAddr(0, 22), { slot: 0, offset: 0, count: 1, flags: {} }, capAddr(0, 31)),
    "map pdir",
  );
  must(
    cs.map(capAddr(0, 22), capAddr(0, 23), { slot: 0, offset: 0, count: 1, flags: {} }, capAddr(0, 32)),
    "map pt",
  );
  const frameOff = take(64 * PAGE);
  must(
    cs.retype(
      BOOT_SLOTS.ram,
      { type: "Frame", offset: frameOff, objSize: 64 * PAGE, count: 1 },
      capAddr(0, 24),
    ),
    "frame",
  );
  for (let i = 0; i < fill; i++) {
    const at = capAddr(1 + Math.floor(i / 256), i % 256);
    must(
      cs.retype(BOOT_SLOTS.ram, { type: "Frame", offset: take(PAGE), objSize: PAGE, count: 1 }, at),
      "fill",
    );
  }
  const freeRam = off;
  return { mem, kernel, cs, work, freeRam, pml4: cs.pml4Base(capAddr(0, 20)) };
}

function retypeBench(cs: CSpace, work: number, freeRam: number) {
  return (n: number, sw: Stopwatch): void => {
    for (let done = 0; done < n; done += BATCH) {
      sw.start();
      for (let i = 0; i < BATCH; i++) {
        const req = { type: "Frame", offset: freeRam + i * PAGE, objSize: PAGE, count: 1 };
        cs.retype(BOOT_SLOTS.ram, req, capAddr(work, i));
      }
      sw.stop();
      for (let i = 0; i < BATCH; i++) cs.delete(capAddr(work, i));
    }
  };
}

function mintBench(cs: CSpace, work: number) {
  return (n: number, sw: Stopwatch): void => {
    for (let done = 0; done < n; done += BATCH) {
      sw.start();
      for (let i = 0; i < BATCH; i++) cs.mint(capAddr(0, 24), capAddr(work, i), 0x13);
      sw.stop();
      for (let i = 0; i < BATCH; i++) cs.delete(capAddr(work, i));
    }
  };
}

/** Runs the local benchmarks. */
export async function localReport(ctx: LocalContext): Promise<LocalReport> {
  const rounds = ctx.quick ? 5 : 15;
  const scale = ctx.quick ? 1 : 4;
  const rows: string[][] = [];
  const json: Record<string, unknown> = {};
  const results: Record<string, Rate> = {};
  const row = (name: string, mdb: number, r: Rate, note: string) => {
    rows.push([
      name,
      String(mdb),
      formatRate(r.cpuMedian),
      formatRate(r.median),
      `${formatRate(r.min)} – ${formatRate(r.max)}`,
      note,
    ]);
  };

  for (const fill of [0, 4096]) {
    const { cs, kernel, work, freeRam, mem, pml4 } = setup(fill);
    const n = kernel.mdb.count;
    ctx.log(`local: MDB holds ${n} capabilities`);
    const src = capAddr(0, 24);
    const dst = capAddr(work, 200);
    const copyDelete = measureRate(
      (ops) => {
        for (let i = 0; i < ops; i++) {
          cs.copy(src, dst);
          cs.delete(dst);
        }
      },
      50_000 * scale,
      rounds,
    );
    const retype = measureRate(retypeBench(cs, work, freeRam), 4 * BATCH * scale, rounds, true);
    const mint = measureRate(mintBench(cs, work), 16 * BATCH * scale, rounds, true);
    const mapUnmap = measureRate(
      (ops) => {
        for (let i = 0; i < ops; i++) {
          cs.map(
            capAddr(0, 23),
            src,
            { slot: 64 + (i & 63), offset: (i & 63) * PAGE, count: 1, flags: { write: true, user: true } },
            dst,
          );
          cs.unmap(dst);
        }
      },
      20_000 * scale,
      rounds,
    );
    // Warm path: 64 mapped pages walked over and over (tables in cache, no TLB).
    must(
      cs.map(
        capAddr(0, 23),
        src,
        { slot: 0, offset: 0, count: 64, flags: { write: true, user: true } },
        capAddr(0, 33),
      ),
      "map 64",
    );
    if (!pml4.ok) throw new Error(pml4.message);
    const cr3 = pml4.value;
    const u32 = mem.u32;
    let sink = 0;
    const walk = measureRate(
      (ops) => {
        for (let i = 0; i < ops; i++)
          sink += translate(
            u32,
            cr3,
            (i & 63) * PAGE + (i & 4095),
            ACCESS_READ | ACCESS_USER | (i & ACCESS_WRITE),
          );
      },
      2_000_000 * scale,
      rounds,
    );
    // The warm path a CPU driver uses: the same 64 pages through a 64-entry TLB (all hits after warm-up).
    const tlb = new Tlb(u32, 64);
    kernel.attachTlb(tlb);
    const tlbWalk = measureRate(
      (ops) => {
        for (let i = 0; i < ops; i++) {
          sink += tlb.translate(
            cr3,
            (i & 63) * PAGE + (i & 4095),
            ACCESS_READ | ACCESS_USER | (i & ACCESS_WRITE),
          );
        }
      },
      2_000_000 * scale,
      rounds,
    );
    // Baseline in the same run: the four entry loads a walk does, as bare typed-array reads.
    const base = cr3 / 4;
    const raw = measureRate(
      (ops) => {
        for (let i = 0; i < ops; i++) {
          const j = base + ((i & 511) << 1);
          sink +=
            (u32[j] as number) + (u32[j + 1] as number) + (u32[j + 2] as number) + (u32[j + 3] as number);
        }
      },
      2_000_000 * scale,
      rounds,
    );
    // Baseline: the cheapest JavaScript "insert then remove" of a keyed entry.
    const m = new Map<number, number>();
    const mapBase = measureRate(
      (ops) => {
        for (let i = 0; i < ops; i++) {
          m.set(i & 1023, i);
          m.delete(i & 1023);
        }
      },
      200_000 * scale,
      rounds,
    );
    must(cs.unmap(capAddr(0, 33)), "unmap 64");
    if (sink === 0.5) ctx.log("unreachable");
    row("retype RAM → 4 KiB Frame", n, retype, "includes zeroing the 4 KiB, MDB insert");
    row("copy + delete", n, copyDelete, "two MDB updates, CTE writes");
    row("mint (rights, no badge)", n, mint, "");
    row("map 4 KiB + unmap", n, mapUnmap, "PTE write, mapping cap, side table");
    row("translate: 4-level walk", n, walk, "tables in cache, no TLB");
    row("translate: TLB hit (warm path)", n, tlbWalk, "64-entry direct-mapped TLB");
    row("baseline: 4 typed-array loads", n, raw, "what a walk reads");
    row("baseline: Map.set + Map.delete", n, mapBase, "");
    if (fill > 0) {
      Object.assign(results, {
        retype,
        copy_delete: copyDelete,
        mint,
        map_unmap: mapUnmap,
        translate: tlbWalk,
        walk,
      });
      json["local.mdb_size"] = n;
    }
  }
  for (const [k, r] of Object.entries(results)) {
    json[`local.${k}_per_s`] = Math.round(r.cpuMedian);
    json[`local.${k}_per_wall_s`] = Math.round(r.median);
  }
  json["local.loadavg_1m"] = loadavg()[0];
  const c = cpus();
  return {
    tables: [
      {
        title: "caps: local capability operations (one core, CSpace API)",
        columns: [
          "operation",
          "MDB size",
          "per CPU-second",
          "per wall-second",
          "wall range",
          "what it includes",
        ],
        rows,
        notes: [
          `median of ${rounds} rounds after 2 warm-up rounds; JSON keys use the run with the larger MDB.`,
          "per CPU-second: operations per second of this process's CPU time (local.*_per_s); per wall-second: what the run saw on a shared machine (local.*_per_wall_s).",
          "goals (issue #12): >= 1 M copy+delete/s, >= 10 M page walks/s through a warm path.",
          "local.translate_per_s is the warm path (TLB hits); local.walk_per_s the full 4-level walk.",
          `machine: ${c.length} × ${c[0]?.model ?? "?"}, load ${loadavg()
            .map((x) => x.toFixed(2))
            .join(" ")}, Node ${process.version}`,
        ],
      },
    ],
    json,
  };
}
