/**
 * Hardware discovery from Linux's /sys and /proc under a root directory (`/` for this machine, a
 * recorded tree in tests). Nothing here throws on odd input: a missing or unreadable file becomes a
 * line in `problems` and a stated default (package 0, node 0, no caches).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CpuInfoEntry,
  parseCpuInfo,
  parseCpuList,
  parseDistances,
  parseHex,
  parseNodeMemTotal,
  parseSize,
  parseUint,
} from "./parse.js";

/** One hardware thread (a Linux CPU). */
export interface HostThread {
  /** Linux CPU number. */
  readonly cpu: number;
  /** APIC id (from /proc/cpuinfo), or the CPU number when the file does not give one. */
  readonly apic: number;
  readonly package: number;
  /** Core id within the package (`topology/core_id`). */
  readonly core: number;
  /** Index of this thread among its core's siblings (0 for the first). */
  readonly thread: number;
  readonly node: number;
}

/** One cache instance and the CPUs that share it. */
export interface HostCache {
  readonly level: number;
  readonly type: "data" | "instruction" | "unified";
  readonly sizeBytes: number;
  readonly cpus: readonly number[];
}

/** One NUMA node. */
export interface HostNode {
  readonly id: number;
  readonly cpus: readonly number[];
  readonly memoryBytes: number | undefined;
  /** SLIT distances to node 0, 1, ... (empty when unknown). */
  readonly distances: readonly number[];
  /** Physical ranges of the node's memory blocks, merged where contiguous. */
  readonly ranges: readonly { readonly base: number; readonly length: number }[];
}

/** What discovery found. */
export interface HostTopology {
  readonly root: string;
  readonly threads: readonly HostThread[];
  readonly caches: readonly HostCache[];
  readonly nodes: readonly HostNode[];
  readonly models: readonly {
    readonly package: number;
    readonly vendor: string;
    readonly model: string;
    readonly mhz: number;
  }[];
  /** Files that were missing or unreadable, and what was assumed instead. */
  readonly problems: readonly string[];
}

class Reader {
  readonly problems: string[] = [];
  constructor(readonly root: string) {}

  text(rel: string, quiet = false): string | undefined {
    try {
      return readFileSync(join(this.root, rel), "utf8");
    } catch {
      if (!quiet) this.problems.push(`${rel}: missing or unreadable`);
      return undefined;
    }
  }

  list(rel: string): string[] {
    try {
      return readdirSync(join(this.root, rel));
    } catch {
      return [];
    }
  }

  parsed<T>(rel: string, parse: (t: string) => T | undefined, quiet = false): T | undefined {
    const t = this.text(rel, quiet);
    if (t === undefined) return undefined;
    const v = parse(t);
    if (v === undefined) this.problems.push(`${rel}: cannot read ${JSON.stringify(t.trim().slice(0, 40))}`);
    return v;
  }
}

const CPU = "sys/devices/system/cpu";
const NODE = "sys/devices/system/node";

function numbered(names: readonly string[], prefix: string): number[] {
  const re = new RegExp(`^${prefix}(\\d+)$`);
  return names
    .map((n) => re.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Discovers the topology under `root` (default `/`). */
export function discoverHost(root = "/"): HostTopology {
  const r = new Reader(root);
  const cpuinfo = parseCpuInfo(r.text("proc/cpuinfo") ?? "");
  const byCpu = new Map<number, CpuInfoEntry>(cpuinfo.map((e) => [e.processor, e]));

  let online = r.parsed(`${CPU}/online`, parseCpuList);
  if (online === undefined || online.length === 0) {
    online = numbered(r.list(CPU), "cpu");
    if (online.length === 0) online = cpuinfo.map((e) => e.processor);
    r.problems.push(`${CPU}/online: using ${online.length} CPUs found otherwise`);
  }

  const nodes = discoverNodes(r);
  const nodeOf = new Map<number, number>();
  for (const n of nodes) for (const c of n.cpus) nodeOf.set(c, n.id);

  const threads: HostThread[] = online.map((cpu) => {
    const base = `${CPU}/cpu${cpu}/topology`;
    const info = byCpu.get(cpu);
    const pkg = r.parsed(`${base}/physical_package_id`, parseUint) ?? info?.physicalId ?? 0;
    const core = r.parsed(`${base}/core_id`, parseUint) ?? info?.coreId ?? cpu;
    const siblings = r.parsed(`${base}/thread_siblings_list`, parseCpuList) ?? [cpu];
    const thread = Math.max(0, siblings.indexOf(cpu));
    return { cpu, apic: info?.apicId ?? cpu, package: pkg, core, thread, node: nodeOf.get(cpu) ?? 0 };
  });

  const caches = discoverCaches(r, online);
  const models = [...new Set(threads.map((t) => t.package))].map((pkg) => {
    const first = threads.find((t) => t.package === pkg);
    const info = first === undefined ? undefined : byCpu.get(first.cpu);
    return {
      package: pkg,
      vendor: info?.vendor ?? "unknown",
      model: info?.model ?? "unknown",
      mhz: info?.mhz ?? 0,
    };
  });
  return { root, threads, caches, nodes, models, problems: r.problems };
}

function discoverNodes(r: Reader): HostNode[] {
  const entries = r.list(NODE);
  if (entries.length === 0) {
    r.problems.push(`${NODE}: missing; assuming one node (0) with every CPU`);
    return [];
  }
  const ids = r.parsed(`${NODE}/online`, parseCpuList, true) ?? numbered(entries, "node");
  const blockSize = r.parsed("sys/devices/system/memory/block_size_bytes", parseHex, true);
  return ids.map((id) => {
    const dir = `${NODE}/node${id}`;
    const blocks = numbered(r.list(dir), "memory");
    const ranges: { base: number; length: number }[] = [];
    if (blockSize !== undefined) {
      for (const b of blocks) {
        const base = b * blockSize;
        const last = ranges[ranges.length - 1];
        if (last && last.base + last.length === base) last.length += blockSize;
        else ranges.push({ base, length: blockSize });
      }
    }
    return {
      id,
      cpus: r.parsed(`${dir}/cpulist`, parseCpuList) ?? [],
      memoryBytes: r.parsed(`${dir}/meminfo`, parseNodeMemTotal),
      distances: r.parsed(`${dir}/distance`, parseDistances) ?? [],
      ranges,
    };
  });
}

const CACHE_TYPES: Readonly<Record<string, HostCache["type"]>> = {
  data: "data",
  instruction: "instruction",
  unified: "unified",
};

function discoverCaches(r: Reader, online: readonly number[]): HostCache[] {
  const seen = new Map<string, HostCache>();
  let any = false;
  for (const cpu of online) {
    const dir = `${CPU}/cpu${cpu}/cache`;
    for (const index of numbered(r.list(dir), "index")) {
      any = true;
      const base = `${dir}/index${index}`;
      const level = r.parsed(`${base}/level`, parseUint);
      const typeText = r.text(`${base}/type`);
      const type = CACHE_TYPES[(typeText ?? "").trim().toLowerCase()];
      if (typeText !== undefined && type === undefined) {
        r.problems.push(`${base}/type: unknown cache type ${JSON.stringify(typeText.trim().slice(0, 40))}`);
      }
      const sizeBytes = r.parsed(`${base}/size`, parseSize);
      const cpus = r.parsed(`${base}/shared_cpu_list`, parseCpuList) ?? [cpu];
      if (level === undefined || type === undefined || sizeBytes === undefined) continue;
      const key = `${level}/${type}/${cpus.join(",")}`;
      if (!seen.has(key)) seen.set(key, { level, type, sizeBytes, cpus });
    }
  }
  if (!any) r.problems.push(`${CPU}/cpu*/cache: missing; no cache facts`);
  return [...seen.values()].sort(
    (a, b) => a.level - b.level || a.type.localeCompare(b.type) || (a.cpus[0] ?? 0) - (b.cpus[0] ?? 0),
  );
}
