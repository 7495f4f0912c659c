import { cpus } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverHost } from "../src/discovery/discover.js";
import { hostFacts } from "../src/discovery/host-facts.js";
import { loadHost } from "../src/discovery/load-host.js";
import {
  parseCpuInfo,
  parseCpuList,
  parseDistances,
  parseHex,
  parseNodeMemTotal,
  parseSize,
} from "../src/discovery/parse.js";
import { SkbEngine } from "../src/engine/engine.js";
import { isSkbError } from "../src/errors.js";
import { factLine } from "../src/facts/render.js";

const FIXTURES = join(import.meta.dirname, "fixtures", "sys");
const lines = (root: string, options = {}) => hostFacts(discoverHost(root), options).map(factLine);

describe("parsers", () => {
  it("read CPU lists, sizes, hex, distances and meminfo, and refuse garbage", () => {
    expect(parseCpuList("0-3,8,10-11\n")).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList("")).toEqual([]);
    expect(parseCpuList("3-1")).toBeUndefined();
    expect(parseCpuList("zero-three")).toBeUndefined();
    expect(parseSize("32K")).toBe(32768);
    expect(parseSize("8M\n")).toBe(8 * 1024 * 1024);
    expect(parseSize("lots")).toBeUndefined();
    expect(parseHex("8000000\n")).toBe(128 * 1024 * 1024);
    expect(parseHex("xyz")).toBeUndefined();
    expect(parseDistances("10 21\n")).toEqual([10, 21]);
    expect(parseDistances("10 x")).toBeUndefined();
    expect(parseNodeMemTotal("Node 0 MemTotal:  4194304 kB\n")).toBe(4 * 1024 ** 3);
    expect(parseNodeMemTotal("nothing")).toBeUndefined();
  });

  it("reads /proc/cpuinfo blocks and skips a block without a processor number", () => {
    const text =
      "processor\t: 0\nvendor_id\t: V\ncpu MHz\t\t: 2400.6\napicid\t\t: 4\n\ngarbage\n\nprocessor : 1\n";
    expect(parseCpuInfo(text)).toEqual([
      { processor: 0, vendor: "V", mhz: 2401, apicId: 4 },
      { processor: 1 },
    ]);
  });
});

describe("discovery against recorded /sys trees", () => {
  it("host-2cpu: two cores of one package, one node, no cache directories", () => {
    const topo = discoverHost(join(FIXTURES, "host-2cpu"));
    expect(topo.problems).toEqual(["sys/devices/system/cpu/cpu*/cache: missing; no cache facts"]);
    expect(lines(join(FIXTURES, "host-2cpu")).slice(1)).toEqual([
      "cpu_model(0,'AuthenticAMD','AMD EPYC',2096).",
      "cpu_thread(0,0,0,0).",
      "cpu_thread(1,0,1,0).",
      "cpu_node(0,0).",
      "cpu_node(1,0).",
      "node_distance(0,0,10).",
      // 24683748 kB
      "node_memory(0,25276157952).",
      // Blocks 0-23 and 32-199 of 128 MiB: a hole at 3-4 GiB (the PCI window).
      "memory_affinity(0,3221225472,0).",
      "memory_affinity(4294967296,22548578304,0).",
      "core(0,0).",
      "core(1,1).",
    ]);
  });

  it("numa-2x2x2: APIC ids, SMT threads, shared caches and two nodes", () => {
    const topo = discoverHost(join(FIXTURES, "numa-2x2x2"));
    expect(topo.problems).toEqual([]);
    // Linux numbers first threads 0-3 and their siblings 4-7; APIC id = 2 * (cpu mod 4) + cpu div 4.
    expect(lines(join(FIXTURES, "numa-2x2x2")).slice(1)).toEqual([
      "cpu_model(0,'GenuineIntel','Synthetic Xeon 2x2x2',2400).",
      "cpu_model(1,'GenuineIntel','Synthetic Xeon 2x2x2',2400).",
      "cpu_thread(0,0,0,0).",
      "cpu_thread(2,0,1,0).",
      "cpu_thread(4,1,0,0).",
      "cpu_thread(6,1,1,0).",
      "cpu_thread(1,0,0,1).",
      "cpu_thread(3,0,1,1).",
      "cpu_thread(5,1,0,1).",
      "cpu_thread(7,1,1,1).",
      "cpu_node(0,0).",
      "cpu_node(2,0).",
      "cpu_node(4,1).",
      "cpu_node(6,1).",
      "cpu_node(1,0).",
      "cpu_node(3,0).",
      "cpu_node(5,1).",
      "cpu_node(7,1).",
      "cache(1,data,32768,[0,1]).",
      "cache(1,data,32768,[2,3]).",
      "cache(1,data,32768,[4,5]).",
      "cache(1,data,32768,[6,7]).",
      "cache(1,instruction,32768,[0,1]).",
      "cache(1,instruction,32768,[2,3]).",
      "cache(1,instruction,32768,[4,5]).",
      "cache(1,instruction,32768,[6,7]).",
      "cache(2,unified,1048576,[0,1]).",
      "cache(2,unified,1048576,[2,3]).",
      "cache(2,unified,1048576,[4,5]).",
      "cache(2,unified,1048576,[6,7]).",
      "cache(3,unified,16777216,[0,1,2,3]).",
      "cache(3,unified,16777216,[4,5,6,7]).",
      "node_distance(0,0,10).",
      "node_distance(0,1,21).",
      "node_distance(1,0,21).",
      "node_distance(1,1,10).",
      "node_memory(0,4294967296).",
      "node_memory(1,4294967296).",
      "memory_affinity(0,4294967296,0).",
      "memory_affinity(4294967296,4294967296,1).",
      // Core k is guessed on the k-th online CPU: cpu1 is APIC 2.
      "core(0,0).",
      "core(1,2).",
      "core(2,4).",
      "core(3,6).",
      "core(4,1).",
      "core(5,3).",
      "core(6,5).",
      "core(7,7).",
    ]);
  });

  it("odd: every unreadable value is a problem and a stated default, never a crash", () => {
    const topo = discoverHost(join(FIXTURES, "odd"));
    expect(topo.problems).toEqual([
      'sys/devices/system/cpu/online: cannot read "zero-three"',
      "sys/devices/system/cpu/online: using 1 CPUs found otherwise",
      "sys/devices/system/node/node0/meminfo: missing or unreadable",
      'sys/devices/system/node/node0/distance: cannot read "10 x"',
      'sys/devices/system/cpu/cpu0/topology/physical_package_id: cannot read "not a number"',
      "sys/devices/system/cpu/cpu0/topology/core_id: missing or unreadable",
      "sys/devices/system/cpu/cpu0/topology/thread_siblings_list: missing or unreadable",
      'sys/devices/system/cpu/cpu0/cache/index0/type: unknown cache type "Weird"',
      'sys/devices/system/cpu/cpu0/cache/index0/size: cannot read "lots"',
      "sys/devices/system/cpu/cpu0/cache/index0/shared_cpu_list: missing or unreadable",
    ]);
    expect(lines(join(FIXTURES, "odd")).slice(1)).toEqual([
      "cpu_model(0,unknown,unknown,0).",
      "cpu_thread(0,0,0,0).",
      "cpu_node(0,0).",
      "core(0,0).",
    ]);
  });

  it("a root with nothing under it gives one CPU-less machine and problems, not an exception", () => {
    const topo = discoverHost(join(FIXTURES, "does-not-exist"));
    expect(topo.threads).toEqual([]);
    expect(topo.problems.length).toBeGreaterThan(0);
    expect(hostFacts(topo).map(factLine)).toContain("core(0,unknown).");
  });

  it("describes more shoal cores than CPUs round-robin, or with unknown host CPUs", () => {
    const root = join(FIXTURES, "host-2cpu");
    expect(lines(root, { cores: 4 }).filter((l) => l.startsWith("core("))).toEqual([
      "core(0,0).",
      "core(1,1).",
      "core(2,0).",
      "core(3,1).",
    ]);
    expect(lines(root, { cores: 2, hostCpus: "unknown" }).filter((l) => l.startsWith("core("))).toEqual([
      "core(0,unknown).",
      "core(1,unknown).",
    ]);
    let caught: unknown;
    try {
      hostFacts(discoverHost(root), { cores: 0 });
    } catch (e) {
      caught = e;
    }
    expect(isSkbError(caught, "BAD_ARGUMENT")).toBe(true);
  });
});

describe("discovery on this machine", () => {
  let engine: SkbEngine;
  beforeAll(async () => {
    engine = await SkbEngine.start();
  }, 60_000);
  afterAll(() => undefined);

  it("finds the CPUs Node sees, each in a package and on a node", () => {
    const topo = discoverHost("/");
    if (process.platform !== "linux") {
      expect(topo.threads.length).toBe(0);
      return;
    }
    expect(topo.threads.length).toBe(cpus().length);
    const apics = new Set(topo.threads.map((t) => t.apic));
    expect(apics.size).toBe(topo.threads.length);
    const nodeIds = new Set(topo.nodes.map((n) => n.id));
    for (const t of topo.threads) {
      expect(t.package).toBeGreaterThanOrEqual(0);
      if (nodeIds.size > 0) expect(nodeIds.has(t.node)).toBe(true);
    }
    for (const c of topo.caches)
      for (const cpu of c.cpus) expect(topo.threads.some((t) => t.cpu === cpu)).toBe(true);
    const memory = topo.nodes.reduce((s, n) => s + (n.memoryBytes ?? 0), 0);
    if (topo.nodes.length > 0) expect(memory).toBeGreaterThan(0);
  });

  it("loads into the engine so that every core has a package, a node and a multicast tree", () => {
    const topo = loadHost(engine, { cores: 4 });
    const n = Math.max(1, topo.threads.length);
    expect(engine.once("cores(Cs)")?.Cs).toEqual([0, 1, 2, 3]);
    for (let c = 0; c < 4; c++) {
      expect(engine.succeeds("core_package(C, _), core_node(C, _)", { inputs: { C: c } })).toBe(true);
    }
    // Core k is guessed on CPU k mod n: with fewer CPUs than cores two cores share a host thread.
    if (n < 4) {
      expect(engine.once("relation(0, C, R)", { inputs: { C: n } })?.R).toBe("same_thread");
    }
    const tree = engine.once("multicast_tree(0, T), flatten(T, _)")?.T;
    expect(tree).toBeDefined();
    expect(engine.once("aggregate_all(count, message_rtt(_, _, _, _, _, _), N)")?.N).toBe(12);
  });
});
