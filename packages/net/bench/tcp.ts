/**
 * TCP bulk throughput. The headline row (`tcp_bulk`) is the paper's IP loopback with TCP: source and sink
 * domains on cores 0 and 1 of a booted machine, each with its own stack, the loopback device over urpc
 * between them (examples/net-tcp-bulk, SHA-256 checked), against Node's `net` over the kernel's loopback
 * with the sender in a worker thread (the two-thread counterpart). The one-thread rows stay: two shoal
 * stacks over an in-process device pair (the stack's own cost per byte), and Node `net` in one process.
 */

import { type AddressInfo, createServer, connect as nodeConnect } from "node:net";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { pairDevices } from "../src/phy/pair.js";
import { NetStack } from "../src/socket/stack.js";
import { LinkSim, SIM_B_IP } from "../src/tcp/link-sim.js";
import type { TcpSocket } from "../src/tcp/socket.js";
import { TcpNet } from "../src/tcp/tcp-net.js";
import { type DomainTcpThroughput, LEGACY_LINK, tcpBulkDomains } from "./domains.js";

/** The suite contract's types (declared here; structurally the same as apps/bench's). */
export interface SuiteContext {
  quick: boolean;
  log(line: string): void;
}
export interface SuiteTable {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}
export interface SuiteReport {
  tables: SuiteTable[];
  json: Record<string, unknown>;
}

const BUFFER = 256 * 1024;
const CHUNK = 64 * 1024;

function mbits(bytes: number, ms: number): number {
  return (bytes * 8) / (ms / 1000) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The state machines alone: both stacks polled in a synchronous loop on the real clock. */
function shoalLoop(total: number): number {
  const sim = new LinkSim({
    clock: () => performance.now(),
    config: { rxBufferSize: BUFFER, txBufferSize: BUFFER },
  });
  let server: TcpSocket | undefined;
  sim.tcpB.listen(5001, (s) => {
    server = s;
  });
  const client = sim.tcpA.connect(SIM_B_IP, 5001, { now: sim.now });
  sim.run(() => client.state === "ESTABLISHED" && server !== undefined, 10_000);
  const src = new Uint8Array(CHUNK).fill(0x5a);
  const sink = new Uint8Array(CHUNK);
  let sent = 0;
  let got = 0;
  const t0 = performance.now();
  sim.run(() => {
    while (sent < total) {
      const n = client.send(src.subarray(0, Math.min(CHUNK, total - sent)));
      if (n === 0) break;
      sent += n;
    }
    for (;;) {
      const n = server?.recv(sink) ?? 0;
      if (n === 0) break;
      got += n;
    }
    return got >= total;
  }, 120_000);
  return mbits(got, performance.now() - t0);
}

/** The API a domain uses: TcpNet on two NetStacks (setImmediate poll loops), write/read promises. */
async function shoalApi(total: number): Promise<number> {
  const [da, db] = pairDevices({ queueLimit: 1024 });
  const a = new NetStack({ device: da, mac: "02:00:00:00:00:01", ip: "10.77.0.1", gratuitousArp: false });
  const b = new NetStack({ device: db, mac: "02:00:00:00:00:02", ip: "10.77.0.2", gratuitousArp: false });
  const config = { rxBufferSize: BUFFER, txBufferSize: BUFFER };
  const ta = new TcpNet(a, { config });
  const tb = new TcpNet(b, { config });
  try {
    const server = tb.listen(5001);
    const accepted = server.accept();
    const c = await ta.connect({ host: "10.77.0.2", port: 5001 });
    const s = await accepted;
    const src = new Uint8Array(CHUNK).fill(0x5a);
    const t0 = performance.now();
    const writer = (async () => {
      for (let sent = 0; sent < total; sent += CHUNK)
        await c.write(src.subarray(0, Math.min(CHUNK, total - sent)));
    })();
    let got = 0;
    while (got < total) {
      const chunk = await s.read(BUFFER);
      if (chunk === null) break;
      got += chunk.length;
    }
    const ms = performance.now() - t0;
    await writer;
    c.destroy();
    s.destroy();
    server.close();
    return mbits(got, ms);
  } finally {
    ta.close();
    tb.close();
    await a.close();
    await b.close();
  }
}

/** Node `net` over 127.0.0.1 in this process, writes of 64 KiB honouring backpressure. */
function nodeLoopback(total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = 0;
    let t0 = 0;
    const server = createServer((sock) => {
      sock.on("data", (d: Buffer) => {
        got += d.length;
        if (got >= total) {
          const ms = performance.now() - t0;
          sock.destroy();
          server.close();
          resolve(mbits(got, ms));
        }
      });
    });
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      const c = nodeConnect(port, "127.0.0.1", () => {
        const src = Buffer.alloc(CHUNK, 0x5a);
        let sent = 0;
        t0 = performance.now();
        const pump = () => {
          while (sent < total) {
            sent += CHUNK;
            if (!c.write(src)) {
              c.once("drain", pump);
              return;
            }
          }
          c.end();
        };
        pump();
      });
      c.on("error", () => {});
    });
  });
}

/** Node `net` over 127.0.0.1, the sender in a worker thread (two threads, as the two domains). */
function nodeCrossThread(total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = 0;
    let t0 = 0;
    let worker: Worker | undefined;
    const server = createServer((sock) => {
      sock.on("data", (d: Buffer) => {
        got += d.length;
        if (got >= total) {
          const ms = performance.now() - t0;
          sock.destroy();
          server.close();
          void worker?.terminate();
          resolve(mbits(got, ms));
        }
      });
    });
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      t0 = performance.now();
      worker = new Worker(new URL("./tcp-sender-worker.js", import.meta.url), {
        workerData: { port, total, chunk: CHUNK },
      });
      worker.once("error", reject);
      worker.on("message", (m: unknown) => {
        if (typeof m === "string" && m.startsWith("error")) reject(new Error(`tcp sender worker: ${m}`));
      });
    });
  });
}

/** The TCP part of the net suite. */
export async function tcpReport(ctx: SuiteContext): Promise<SuiteReport> {
  const total = (ctx.quick ? 8 : 64) * 1024 * 1024;
  const runs = ctx.quick ? 3 : 5;
  const loop: number[] = [];
  const api: number[] = [];
  const node: number[] = [];
  shoalLoop(1 << 20); // warm-up
  await shoalApi(1 << 20);
  await nodeLoopback(1 << 20);
  for (let i = 0; i < runs; i++) {
    // Interleaved so that load from other processes falls on all three alike.
    loop.push(shoalLoop(total));
    api.push(await shoalApi(total));
    node.push(await nodeLoopback(total));
    ctx.log(
      `tcp run ${i + 1}/${runs}: loop ${loop[i]?.toFixed(0)} api ${api[i]?.toFixed(0)} node ${node[i]?.toFixed(0)} Mbit/s`,
    );
  }
  // Between domains: each run boots a two-core machine; fewer, smaller runs (the path is slow here).
  const domainBytes = (ctx.quick ? 4 : 16) * 2 ** 20;
  const domainRuns = ctx.quick ? 1 : 3;
  const domains: DomainTcpThroughput[] = [];
  const legacy: DomainTcpThroughput[] = [];
  const cross: number[] = [];
  for (let i = 0; i < domainRuns; i++) {
    domains.push(await tcpBulkDomains(domainBytes));
    // Before: the 32-line ring and one frame per message (1 MiB: that layout is very slow here).
    legacy.push(await tcpBulkDomains(2 ** 20, LEGACY_LINK));
    cross.push(await nodeCrossThread(total));
    ctx.log(
      `tcp between domains run ${i + 1}/${domainRuns}: shoal ${domains[i]?.mbitPerS.toFixed(1)} Mbit/s (intact ${domains[i]?.intact}), 32-line ring ${legacy[i]?.mbitPerS.toFixed(1)}, node across threads ${cross[i]?.toFixed(0)} Mbit/s`,
    );
  }
  const row = (name: string, xs: number[]) => [
    name,
    median(xs).toFixed(0),
    Math.min(...xs).toFixed(0),
    Math.max(...xs).toFixed(0),
  ];
  const dom = domains.map((d) => d.mbitPerS);
  const shoal = median(dom);
  const linux = median(cross);
  const fmt1 = (n: number) => (n < 100 ? n.toFixed(1) : n.toFixed(0));
  return {
    tables: [
      {
        title: `TCP bulk throughput (Mbit/s): between domains ${domainRuns} runs of ${domainBytes >> 20} MiB, others ${runs} runs of ${total >> 20} MiB`,
        columns: ["path", "median", "min", "max"],
        rows: [
          [
            "shoal: source and sink domains on cores 0 and 1, own stacks, loopback device over urpc",
            fmt1(shoal),
            fmt1(Math.min(...dom)),
            fmt1(Math.max(...dom)),
          ],
          [
            "  the same before ring sizes were a bind option: 32-line ring, one frame per message (1 MiB)",
            fmt1(median(legacy.map((d) => d.mbitPerS))),
            fmt1(Math.min(...legacy.map((d) => d.mbitPerS))),
            fmt1(Math.max(...legacy.map((d) => d.mbitPerS))),
          ],
          row("Node net over kernel loopback, sender in a worker thread (its counterpart)", cross),
          row("shoal TcpNet API, two NetStacks over an in-process pair (one thread)", api),
          row("shoal state machines only, synchronous poll loop (one thread)", loop),
          row("Node net over kernel loopback 127.0.0.1 (one process)", node),
        ],
        notes: [
          `shoal/Node between threads: ${(shoal / linux).toFixed(3)}x; one thread (API row / Node one process): ${(median(api) / median(node)).toFixed(2)}x.`,
          "256 KiB socket buffers, 1460-byte MSS, 64 KiB writes. Between domains every run's SHA-256 of what the sink got matched the source's",
          `(${[...domains, ...legacy].every((d) => d.intact) ? "all intact" : "NOT ALL INTACT"}); 4,096-line ring, 16 KiB batches; frames per urpc message ${median(domains.map((d) => d.framesPerMessage)).toFixed(2)}, source transmits refused for ring room ${median(domains.map((d) => d.txFull))}.`,
          "The one-thread rows run both ends on one event loop: the stack's own cost per byte, with no channel between.",
        ],
      },
    ],
    json: {
      tcp_bulk: {
        shoal_mbit_s: Number(shoal.toFixed(1)),
        linux_mbit_s: Math.round(linux),
        shoal_runs_mbit_s: dom.map((x) => Number(x.toFixed(1))),
        intact: [...domains, ...legacy].every((d) => d.intact),
        legacy_link_mbit_s: Number(median(legacy.map((d) => d.mbitPerS)).toFixed(1)),
        bytes_per_run: domainBytes,
        frames_per_message: Number(median(domains.map((d) => d.framesPerMessage)).toFixed(2)),
        measured:
          "source and sink domains on cores 0 and 1 (own stacks, loopback device over net_frames/urpc) vs Node net over kernel loopback, sender in a worker thread",
      },
      tcp_one_thread: {
        shoal_mbit_s: Math.round(median(api)),
        linux_mbit_s: Math.round(median(node)),
        shoal_loop_mbit_s: Math.round(median(loop)),
      },
    },
  };
}
