/**
 * The @shoal/net bench suite (COMMON.md contract). UDP rows here; TCP rows come from `bench/tcp.ts`
 * (net-tcp's `tcpReport`) when that file exists.
 */

import { cpus, loadavg } from "node:os";
import { type DomainThroughput, LEGACY_LINK, loopbackDomains } from "./domains.js";
import { type HttpReport, httpReport } from "./http.js";
import type { BenchSuite, SuiteContext, SuiteReport, SuiteTable } from "./types.js";
import { linuxUdp, linuxUdpCrossThread, PAYLOAD, packetCost, shoalUdp, type Throughput } from "./udp.js";

export type { BenchSuite, SuiteContext, SuiteReport, SuiteTable } from "./types.js";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function fmt(n: number, digits = 0): string {
  return n.toFixed(digits);
}

async function udpReport(ctx: SuiteContext): Promise<SuiteReport> {
  const runs = ctx.quick ? 1 : 5;
  const count = ctx.quick ? 20_000 : 100_000;
  const shoal: Throughput[] = [];
  const linux: Throughput[] = [];
  // Alternate the two so drift in machine load hits both alike.
  for (let i = 0; i < runs; i++) {
    shoal.push(await shoalUdp(count));
    linux.push(await linuxUdp(count));
    ctx.log(
      `net: udp run ${i + 1}/${runs}: shoal ${fmt(shoal[i]?.mbitPerS ?? 0)} Mbit/s, linux ${fmt(linux[i]?.mbitPerS ?? 0)} Mbit/s`,
    );
  }
  // The cost loop is short: take the median of several, as the machine is shared.
  const costs = Array.from({ length: ctx.quick ? 3 : 7 }, () => packetCost(ctx.quick ? 50_000 : 200_000));
  const cross: Throughput[] = [];
  for (let i = 0; i < runs; i++) cross.push(await linuxUdpCrossThread(count));
  const crossMbit = median(cross.map((t) => t.mbitPerS));
  // The paper's IP loopback: two stacks in domains on two cores over urpc, against the kernel with the
  // two ends in two threads (the closest Node shape).
  const domainRuns = ctx.quick ? 1 : 3;
  const domainCount = ctx.quick ? 5_000 : 20_000;
  const domains: DomainThroughput[] = [];
  const legacy: DomainThroughput[] = [];
  for (let i = 0; i < domainRuns; i++) {
    domains.push(await loopbackDomains(domainCount, PAYLOAD));
    // Before: the 32-line ring, one frame per message (fewer datagrams: that layout is very slow here).
    legacy.push(await loopbackDomains(Math.round(domainCount / 10), PAYLOAD, LEGACY_LINK));
    ctx.log(
      `net: loopback between domains run ${i + 1}/${domainRuns}: ${fmt(domains[i]?.mbitPerS ?? 0)} Mbit/s (32-line ring: ${fmt(legacy[i]?.mbitPerS ?? 0)})`,
    );
  }
  const domainMbit = median(domains.map((t) => t.mbitPerS));
  const legacyMbit = median(legacy.map((t) => t.mbitPerS));
  const cost = {
    txNs: median(costs.map((c) => c.txNs)),
    rxNs: median(costs.map((c) => c.rxNs)),
    packets: costs[0]?.packets ?? 0,
    runs: costs.length,
  };
  const shoalMbit = median(shoal.map((t) => t.mbitPerS));
  const linuxMbit = median(linux.map((t) => t.mbitPerS));
  const range = (ts: Throughput[]) =>
    `${fmt(Math.min(...ts.map((t) => t.mbitPerS)))}-${fmt(Math.max(...ts.map((t) => t.mbitPerS)))}`;
  const loss = (ts: Throughput[]) => {
    const sent = ts.reduce((n, t) => n + t.sent, 0);
    const got = ts.reduce((n, t) => n + t.received, 0);
    return `${fmt((100 * (sent - got)) / sent, 2)}%`;
  };
  const throughput: SuiteTable = {
    title: `UDP throughput, ${PAYLOAD}-byte payloads (median of ${runs} runs of ${count} datagrams; between domains ${domainRuns} of ${domainCount})`,
    columns: ["path", "Mbit/s", "range", "datagrams/s", "CPU µs/datagram", "lost"],
    rows: [
      [
        "shoal: two stacks in domains on cores 0 and 1, net_frames over urpc",
        fmt(domainMbit),
        `${fmt(Math.min(...domains.map((t) => t.mbitPerS)))}-${fmt(Math.max(...domains.map((t) => t.mbitPerS)))}`,
        fmt(median(domains.map((t) => t.received / t.seconds))),
        "-",
        `${fmt((100 * domains.reduce((n, t) => n + t.sent - t.received, 0)) / domains.reduce((n, t) => n + t.sent, 0), 2)}%`,
      ],
      [
        "  the same before ring sizes were a bind option: 32-line ring, one frame per message",
        fmt(legacyMbit),
        `${fmt(Math.min(...legacy.map((t) => t.mbitPerS)))}-${fmt(Math.max(...legacy.map((t) => t.mbitPerS)))}`,
        fmt(median(legacy.map((t) => t.received / t.seconds))),
        "-",
        `${fmt((100 * legacy.reduce((n, t) => n + t.sent - t.received, 0)) / legacy.reduce((n, t) => n + t.sent, 0), 2)}%`,
      ],
      [
        "shoal, one thread: two NetStacks over an in-process pair device",
        fmt(shoalMbit),
        range(shoal),
        fmt((shoalMbit * 1e6) / 8 / PAYLOAD),
        fmt(median(shoal.map((t) => t.cpuUsPerDatagram)), 2),
        loss(shoal),
      ],
      [
        "Linux: Node dgram over kernel loopback 127.0.0.1",
        fmt(linuxMbit),
        range(linux),
        fmt((linuxMbit * 1e6) / 8 / PAYLOAD),
        fmt(median(linux.map((t) => t.cpuUsPerDatagram)), 2),
        loss(linux),
      ],
      [
        "Linux: Node dgram, sender in a worker thread (counterpart of the domains row)",
        fmt(crossMbit),
        range(cross),
        fmt((crossMbit * 1e6) / 8 / PAYLOAD),
        fmt(median(cross.map((t) => t.cpuUsPerDatagram)), 2),
        loss(cross),
      ],
      [
        `ratio shoal / Linux between threads: ${(domainMbit / crossMbit).toFixed(3)}; one-thread rows`,
        fmt(shoalMbit / linuxMbit, 2),
        "",
        "",
        fmt(median(shoal.map((t) => t.cpuUsPerDatagram)) / median(linux.map((t) => t.cpuUsPerDatagram)), 2),
        "",
      ],
    ],
    notes: [
      "Both ends of both paths run in the benchmark's one thread, at most 256 datagrams sent and not yet received;",
      "the Linux receiver asks for a 4 MiB socket buffer (within rmem_max) so the window does not overflow it.",
      "CPU µs/datagram is process user+system time (the kernel's work for the Linux path included), sender and",
      "receiver together: the load-independent comparison on a shared machine.",
      "The first row is the paper's Table 4 setup: source and sink in different domains on two cores of a booted",
      "machine (examples/net-loopback), frames as net_frames messages over urpc: 16 KiB batches in a 4,096-line",
      "ring the source asks for at bind (BindChannelOptions.lines); the indented row is the old layout (a 32-line",
      "ring, one frame per message). Its Linux counterpart is the worker-thread row. On this loaded 2-CPU machine",
      "the two core threads rarely run at once: what the source can send before waiting for the sink is the ring.",
      "The one-thread rows are the whole stack twice (UDP, IPv4, Ethernet, checksums on both sides) plus the",
      "socket API's promises and the poll loop's turns, with no channel in between.",
    ],
  };
  const costTable: SuiteTable = {
    title: `Stack cost per ${PAYLOAD}-byte UDP packet (interfaces polled directly; median of ${cost.runs} runs of ${cost.packets} packets)`,
    columns: ["path", "ns/packet"],
    rows: [
      ["send: UDP header + checksum, IPv4 header, Ethernet, into the pair device", fmt(cost.txNs)],
      ["receive: Ethernet, IPv4 checks, UDP checksum, demux, view to socket", fmt(cost.rxNs)],
      ["both", fmt(cost.txNs + cost.rxNs)],
    ],
    notes: [
      "Process CPU time around each interface's poll, batches of 256 datagrams; no event loop, promises or sockets API.",
    ],
  };
  return {
    tables: [throughput, costTable],
    json: {
      loopback_udp: {
        shoal_mbit_s: Math.round(domainMbit),
        linux_mbit_s: Math.round(crossMbit),
        payload_bytes: PAYLOAD,
        runs: domainRuns,
        datagrams_per_run: domainCount,
        shoal_runs_mbit_s: domains.map((t) => Math.round(t.mbitPerS)),
        legacy_link_mbit_s: Number(legacyMbit.toFixed(1)),
        frames_per_message: Number(median(domains.map((t) => t.framesPerMessage)).toFixed(2)),
        measured:
          "two stacks in domains on cores 0 and 1 over net_frames/urpc vs Node dgram over kernel loopback, sender in a worker thread",
      },
      udp_one_thread: {
        shoal_mbit_s: Math.round(shoalMbit),
        linux_mbit_s: Math.round(linuxMbit),
        payload_bytes: PAYLOAD,
        runs,
        datagrams_per_run: count,
        shoal_cpu_us_per_datagram: Number(median(shoal.map((t) => t.cpuUsPerDatagram)).toFixed(2)),
        linux_cpu_us_per_datagram: Number(median(linux.map((t) => t.cpuUsPerDatagram)).toFixed(2)),
        linux_cross_thread_mbit_s: Math.round(crossMbit),
        shoal_runs_mbit_s: shoal.map((t) => Math.round(t.mbitPerS)),
        linux_runs_mbit_s: linux.map((t) => Math.round(t.mbitPerS)),
        measured:
          "one thread: two shoal NetStacks over an in-process pair device vs Node dgram over kernel loopback",
      },
      udp_packet_cost: {
        tx_ns: Math.round(cost.txNs),
        rx_ns: Math.round(cost.rxNs),
        packets_per_run: cost.packets,
        runs: cost.runs,
      },
    },
  };
}

/** net-tcp's rows, when `bench/tcp.ts` exists (loaded by a computed specifier so this builds without it). */
async function tcpReport(ctx: SuiteContext): Promise<SuiteReport | undefined> {
  const spec = "./tcp.js";
  let mod: { tcpReport?: (ctx: SuiteContext) => Promise<SuiteReport> };
  try {
    mod = (await import(spec)) as typeof mod;
  } catch (e) {
    // Only the absence of tcp.js itself means "no TCP rows"; a missing import inside it is a real error.
    const err = e as { code?: string; message?: string };
    if (err.code === "ERR_MODULE_NOT_FOUND" && /bench[/\\]tcp\.js/.test(err.message ?? "")) return undefined;
    throw e;
  }
  return mod.tcpReport?.(ctx);
}

const round = (n: number | null) => (n === null ? null : Math.round(n));

function httpTable(web: HttpReport): SuiteTable {
  const row = (name: string, r: HttpReport["static"]) => [
    name,
    r.shoalRps === null ? "-" : fmt(r.shoalRps),
    fmt(r.nodeRps),
    r.shoalRps === null ? "-" : (r.shoalRps / r.nodeRps).toFixed(3),
    String(r.shoalErrors),
  ];
  return {
    title: `HTTP requests/s under autocannon (${web.connections} connections, ${web.seconds} s each)`,
    columns: ["page", "shoal req/s", "Node http req/s", "shoal/Node", "shoal errors"],
    rows: [
      row("static 4,100-byte page", web.static),
      row("SQL page (new products, SQLite domain)", web.sql),
      [
        "  static page, server domain on the driver's core (no cross-core hop)",
        web.staticSameCore === null ? "-" : fmt(web.staticSameCore),
        fmt(web.static.nodeRps),
        web.staticSameCore === null ? "-" : (web.staticSameCore / web.static.nodeRps).toFixed(3),
        "",
      ],
    ],
    notes: [
      web.skipped !== undefined
        ? `shoal rows skipped: ${web.skipped}`
        : "shoal: HTTP server domain (own stack, 10.77.0.2) on core 1, NIC driver domain on core 0, TAP via socat, autocannon inside the namespace; the SQL page asks the SQLite domain on core 1 over urpc.",
      "Node: the same handler on plain Node http over 127.0.0.1 (the SQL page queries SQLite in-process).",
    ],
  };
}

/** The suite. */
export const suite: BenchSuite = {
  name: "net",
  title: "@shoal/net: UDP and TCP over the stack vs the Linux kernel",
  run: async (ctx) => {
    const udp = await udpReport(ctx);
    const tcp = await tcpReport(ctx);
    const web = await httpReport(ctx.quick);
    ctx.log(`net: http static ${web.static.shoalRps ?? "-"} vs ${web.static.nodeRps} req/s`);
    const machine = {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? "unknown",
      loadavg_1m: Number((loadavg()[0] ?? 0).toFixed(2)),
      node: process.version,
    };
    return {
      tables: [...udp.tables, ...(tcp?.tables ?? []), httpTable(web)],
      json: {
        ...udp.json,
        ...(tcp?.json ?? {}),
        http_static: {
          shoal_rps: round(web.static.shoalRps),
          node_rps: round(web.static.nodeRps),
          shoal_same_core_rps: round(web.staticSameCore),
        },
        http_sql: { shoal_rps: round(web.sql.shoalRps), node_rps: round(web.sql.nodeRps) },
        http: { connections: web.connections, seconds: web.seconds, skipped: web.skipped ?? null },
        machine,
      },
    };
  },
};
