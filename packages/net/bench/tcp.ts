/**
 * TCP bulk throughput: two shoal stacks in one thread over an in-process device pair, against Node's
 * `net` over the kernel's loopback in the same run (also one process: server and client on one event
 * loop). What this measures is the stack's own cost per byte on one core, not the paper's cross-core IP
 * loopback over URPC (that needs the multikernel; it comes later).
 */

import { type AddressInfo, createServer, connect as nodeConnect } from "node:net";
import { performance } from "node:perf_hooks";
import { pairDevices } from "../src/phy/pair.js";
import { NetStack } from "../src/socket/stack.js";
import { LinkSim, SIM_B_IP } from "../src/tcp/link-sim.js";
import type { TcpSocket } from "../src/tcp/socket.js";
import { TcpNet } from "../src/tcp/tcp-net.js";

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
  const row = (name: string, xs: number[]) => [
    name,
    median(xs).toFixed(0),
    Math.min(...xs).toFixed(0),
    Math.max(...xs).toFixed(0),
  ];
  const shoal = median(api);
  const linux = median(node);
  return {
    tables: [
      {
        title: `TCP bulk throughput, ${total >> 20} MiB per run, ${runs} runs (Mbit/s)`,
        columns: ["path", "median", "min", "max"],
        rows: [
          row("shoal TcpNet API, two NetStacks over an in-process pair (one thread)", api),
          row("shoal state machines only, synchronous poll loop (one thread)", loop),
          row("Node net over kernel loopback 127.0.0.1 (one process)", node),
        ],
        notes: [
          `shoal/Node: ${(shoal / linux).toFixed(2)}x (API row); 256 KiB socket buffers, 1460-byte MSS, 64 KiB writes.`,
          "Both ends of each row run on one event loop. The paper's cross-core loopback over URPC is not measured here (it needs the multikernel).",
        ],
      },
    ],
    json: {
      tcp_bulk: {
        shoal_mbit_s: Math.round(shoal),
        linux_mbit_s: Math.round(linux),
        shoal_loop_mbit_s: Math.round(median(loop)),
      },
    },
  };
}
