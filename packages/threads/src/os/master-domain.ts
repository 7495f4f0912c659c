/**
 * A team's master as a shoal domain (built to dist/src/os/master-domain.js; the harness spawns it on
 * the team's first core). It is member 0, as BOMP's master thread is: it allocates the team's frames
 * (the control block and the data memory) from its core's RAM and maps them, starts a member on each
 * other core (mode "span": a dispatcher of this domain, told the frames' addresses by `attach`;
 * mode "domains": a domain of its own, passed the Frame caps by `setup`), binds to each member's
 * export, then runs every job: `prepare` on every
 * member, `execute` to each, its own share of the region here, and waits for every `done`. It
 * reports the values on the console (OS_REPORT_PREFIX) and tells the members to finish.
 */
import type { Domain } from "@shoal/libshoal";
import { Bomp } from "../gen/bomp.js";
import { FrameMemory } from "../memory/frame-memory.js";
import { TeamContext } from "../team/context.js";
import { CONTROL } from "../team/control.js";
import type { Region } from "../team/par.js";
import type { DoneValue, OsTeamConfig, OsTeamReport } from "./config.js";
import { OS_REPORT_PREFIX } from "./config.js";
import { describeError } from "./wire.js";

const PAGE = 4096;
const pages = (bytes: number) => Math.max(PAGE, Math.ceil(bytes / PAGE) * PAGE);

/** Waits for the `done` of every member of one job. */
interface Waiting {
  left: number;
  readonly values: unknown[];
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

export default async function main(self: Domain, args: string[]): Promise<number> {
  const cfg = JSON.parse(args[0] ?? "{}") as OsTeamConfig;
  const n = cfg.cores.length;
  const values: unknown[][] = [];
  const jobMs: number[] = [];
  const domains: number[] = [self.id];
  const report = (extra: Partial<OsTeamReport>) =>
    self.log(`${OS_REPORT_PREFIX}${JSON.stringify({ tag: cfg.tag, values, jobMs, domains, ...extra })}`);
  const waiting = new Map<number, Waiting>();
  const members: Bomp[] = [];
  try {
    const controlCap = await self.frames.alloc(pages(CONTROL.bytes));
    const dataCap = await self.frames.alloc(pages(cfg.dataBytes));
    const controlMap = await self.vspace.map(controlCap);
    const dataMap = await self.vspace.map(dataCap);
    const ctx = new TeamContext(new FrameMemory(controlMap), 0, n);
    const data = new FrameMemory(dataMap);

    for (let tid = 1; tid < n; tid++) {
      const core = cfg.cores[tid] as number;
      const memberArgs = [JSON.stringify({ tag: cfg.tag, tid })];
      // A member is a dispatcher of this domain on its core (span), or a domain of its own.
      if (cfg.mode === "span") await self.span(core, cfg.memberPath, { entry: "member", args: memberArgs });
      else await self.spawn(cfg.memberPath, { core, args: memberArgs });
    }
    for (let tid = 1; tid < n; tid++) {
      const iref = await self.names.lookup(`${cfg.tag}.${tid}`, { timeoutMs: 30_000 });
      const b = await self.bind(Bomp, iref, {
        rx: {
          done: (seq: number, from: number, _ok: number, json: string) => {
            const w = waiting.get(seq);
            if (w === undefined) return;
            const out = JSON.parse(json) as DoneValue;
            if ("error" in out) {
              waiting.delete(seq);
              w.reject(
                new Error(`THREAD_FAILED: team member ${from}: ${out.error.name}: ${out.error.message}`),
              );
              return;
            }
            w.values[from] = out.value;
            if (--w.left === 0) {
              waiting.delete(seq);
              w.resolve();
            }
          },
        },
        onError: (e) => {
          const err = new Error(`WORKER_DIED: team member ${tid}: ${e.code}: ${e.message}`);
          for (const [seq, w] of waiting) {
            waiting.delete(seq);
            w.reject(err);
          }
        },
      });
      const r =
        cfg.mode === "span"
          ? await b.rpc.attach(
              tid,
              n,
              BigInt(controlMap.vaddr),
              controlMap.byteLength,
              BigInt(dataMap.vaddr),
              dataMap.byteLength,
            )
          : await b.rpc.setup(tid, n, controlCap, dataCap);
      if (r.ok !== 1) throw new Error(`member ${tid} refused its frames: ${r.error}`);
      domains[tid] = r.domain;
      members.push(b);
    }

    for (const [j, job] of cfg.jobs.entries()) {
      const seq = j + 1;
      // The previous job is over on every member (all its dones are in): the data may be cleared.
      if (job.zero === true) data.float64View(0, data.byteLength / 8).fill(0);
      const argJson = JSON.stringify(job.arg);
      const ready = await Promise.all(members.map((b) => b.rpc.prepare(seq, job.module, job.name, argJson)));
      const refused = ready.find((r) => r.ok !== 1);
      if (refused !== undefined) throw new Error(`a member cannot run ${job.name}: ${refused.error}`);
      const fn = ((await import(job.module)) as Record<string, unknown>)[job.name];
      if (typeof fn !== "function")
        throw new Error(`ENTRY_NOT_FOUND: ${job.module} exports no function ${job.name}`);
      const row: unknown[] = new Array(n);
      // A team of one has no done to wait for.
      const all =
        n === 1
          ? Promise.resolve()
          : new Promise<void>((resolve, reject) =>
              waiting.set(seq, { left: n - 1, values: row, resolve, reject }),
            );
      const t0 = performance.now();
      // Every execute is in its channel before this core starts its share (and stops serving them).
      await Promise.all(members.map((b) => b.tx.execute(seq)));
      row[0] = (fn as Region<unknown, unknown>)(ctx, { ...job.arg, memory: data });
      await all;
      jobMs.push(performance.now() - t0);
      values.push(row);
    }
    for (const b of members) void b.tx.finish(0).catch(() => {});
    report({});
    return 0;
  } catch (e) {
    report({ error: { code: "THREAD_FAILED", message: describeError(e) } });
    return 1;
  }
}
