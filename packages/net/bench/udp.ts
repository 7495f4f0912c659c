/**
 * UDP workloads: 1000-byte datagrams (the paper's Table 4 payload) between two shoal stacks in one thread
 * over an in-process pair device, against Node `dgram` over the kernel's loopback in the same process;
 * and the stack's own cost per packet, two interfaces polled in a tight loop with no event loop between.
 */

import { createSocket } from "node:dgram";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { Interface } from "../src/iface/interface.js";
import { pairDevices } from "../src/phy/pair.js";
import { NetStack } from "../src/socket/stack.js";
import { UdpLayer } from "../src/socket/udp.js";

/** Payload bytes per datagram. */
export const PAYLOAD = 1000;
/**
 * Datagrams sent but not yet received before the sender waits: the same credit window on both paths, so
 * neither measures a receiver drowning (kernel UDP drops when the socket buffer overflows; rmem_max caps
 * that buffer at ~200 KiB by default, and this benchmark leaves sysctls alone).
 */
const WINDOW = 256;
/** A window that does not drain within this long is counted as lost and reopened. */
const STALL_MS = 200;

/** One throughput measurement. */
export interface Throughput {
  readonly mbitPerS: number;
  readonly sent: number;
  readonly received: number;
  readonly seconds: number;
  /** Process CPU time (user + system) per received datagram, µs: less sensitive to machine load. */
  readonly cpuUsPerDatagram: number;
}

/** Process CPU time so far, µs (user + system: the kernel's share of the Linux path counts too). */
function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function mbit(bytes: number, seconds: number): number {
  return (bytes * 8) / seconds / 1e6;
}

/** A receiver's count and the hook the sender waits on. */
class Counter {
  received = 0;
  last = 0;
  private waiter: (() => void) | undefined;

  hit(): void {
    this.received++;
    this.last = performance.now();
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w();
    }
  }

  /** Resolve on the next arrival or after `ms`. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, ms);
      this.waiter = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}

/**
 * Send `count` datagrams keeping at most WINDOW unreceived; returns the elapsed seconds until the last
 * arrival (or until the sender gave up waiting for lost ones).
 */
async function windowed(
  count: number,
  send: () => Promise<void> | undefined,
  c: Counter,
): Promise<Throughput> {
  let sent = 0;
  let written = 0; // credit for datagrams given up as lost
  const t0 = performance.now();
  const c0 = cpuUs();
  while (sent < count) {
    const pending: Promise<void>[] = [];
    while (sent < count && sent - c.received - written < WINDOW) {
      const p = send();
      if (p !== undefined) pending.push(p);
      sent++;
    }
    await Promise.all(pending);
    while (sent < count && sent - c.received - written >= WINDOW / 2) {
      const before = c.received;
      await c.next(STALL_MS);
      if (c.received === before) written = sent - c.received; // stalled: the rest of the window was lost
    }
  }
  while (c.received + written < count) {
    const before = c.received;
    await c.next(STALL_MS);
    if (c.received === before) break;
  }
  const seconds = (c.last - t0) / 1000;
  const cpuUsPerDatagram = (cpuUs() - c0) / Math.max(1, c.received);
  return {
    mbitPerS: mbit(c.received * PAYLOAD, seconds),
    sent: count,
    received: c.received,
    seconds,
    cpuUsPerDatagram,
  };
}

/** Two NetStacks over a pair device: the sender's socket API to the receiver's "message" events. */
export async function shoalUdp(count: number): Promise<Throughput> {
  const [da, db] = pairDevices({ queueLimit: 4096 });
  const a = new NetStack({ device: da, mac: "02:00:00:00:00:01", ip: "10.77.0.1" });
  const b = new NetStack({ device: db, mac: "02:00:00:00:00:02", ip: "10.77.0.2" });
  try {
    const rx = b.createUdpSocket();
    await rx.bind(9000);
    const tx = a.createUdpSocket();
    const payload = Buffer.alloc(PAYLOAD, 0x61);
    const c = new Counter();
    rx.on("message", () => c.hit());
    // Resolve ARP before timing.
    await tx.send(payload, 9000, "10.77.0.2");
    await c.next(1000);
    c.received = 0;
    return await windowed(count, () => tx.send(payload, 9000, "10.77.0.2"), c);
  } finally {
    await a.close();
    await b.close();
  }
}

/** Node dgram over 127.0.0.1, sender and receiver in this thread, with the same window. */
export async function linuxUdp(count: number): Promise<Throughput> {
  const rx = createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
  const tx = createSocket("udp4");
  await new Promise<void>((r) => rx.bind(0, "127.0.0.1", r));
  await new Promise<void>((r) => tx.connect(rx.address().port, "127.0.0.1", r));
  try {
    const payload = Buffer.alloc(PAYLOAD, 0x61);
    const c = new Counter();
    rx.on("message", () => c.hit());
    return await windowed(
      count,
      () => {
        tx.send(payload);
        return undefined;
      },
      c,
    );
  } finally {
    await new Promise<void>((r) => rx.close(() => r()));
    await new Promise<void>((r) => tx.close(() => r()));
  }
}

/**
 * Node dgram over 127.0.0.1 with the sender in a worker thread (PERF-NOTES' Table 4 baseline shape): the
 * kernel path when the two ends do not share a thread; the Linux side of the domains row (bench/domains.ts,
 * two stacks on two cores over urpc).
 */
export async function linuxUdpCrossThread(count: number): Promise<Throughput> {
  const rx = createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
  await new Promise<void>((r) => rx.bind(0, "127.0.0.1", r));
  const received = new Int32Array(new SharedArrayBuffer(4));
  const c = new Counter();
  rx.on("message", () => {
    c.hit();
    Atomics.store(received, 0, c.received);
  });
  const url = new URL("./udp-sender-worker.js", import.meta.url);
  const t0 = performance.now();
  const c0 = cpuUs();
  const worker = new Worker(url, {
    workerData: { port: rx.address().port, count, window: WINDOW, payload: PAYLOAD, received },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
    });
    while (c.received < count) {
      const before = c.received;
      await c.next(STALL_MS);
      if (c.received === before) break;
    }
    const seconds = (c.last - t0) / 1000;
    const cpuUsPerDatagram = (cpuUs() - c0) / Math.max(1, c.received);
    return {
      mbitPerS: mbit(c.received * PAYLOAD, seconds),
      sent: count,
      received: c.received,
      seconds,
      cpuUsPerDatagram,
    };
  } finally {
    await worker.terminate();
    await new Promise<void>((r) => rx.close(() => r()));
  }
}

/**
 * Per-packet cost of the stack alone: sender dispatch (UDP + IPv4 + Ethernet out) and receiver poll, in
 * process CPU time (the machine is shared: wall time there measures the neighbours as much as the stack).
 */
export interface PacketCost {
  readonly txNs: number;
  readonly rxNs: number;
  readonly packets: number;
}

/** Two interfaces over a pair, polled directly: no event loop, no promises, no sockets API. */
export function packetCost(count: number): PacketCost {
  const [da, db] = pairDevices({ queueLimit: 1024 });
  const a = new Interface(da, { mac: 1, ip: "10.77.0.1", gratuitousArp: false });
  const b = new Interface(db, { mac: 2, ip: "10.77.0.2", gratuitousArp: false });
  const ua = new UdpLayer();
  const ub = new UdpLayer();
  a.addProtocol(ua);
  b.addProtocol(ub);
  let got = 0;
  ub.bind(9000, { onDatagram: () => got++ });
  const ep = ua.bind(5000, { onDatagram: () => {} });
  a.neighbors.fill(b.ip, b.mac, 0);
  const payload = new Uint8Array(PAYLOAD).fill(0x61);
  const batch = 256;
  let txUs = 0;
  let rxUs = 0;
  const run = (n: number) => {
    for (let sent = 0; sent < n; sent += batch) {
      for (let i = 0; i < batch; i++) ep.send(payload, b.ip, 9000);
      const t0 = cpuUs();
      a.poll(0);
      const t1 = cpuUs();
      b.poll(0);
      const t2 = cpuUs();
      txUs += t1 - t0;
      rxUs += t2 - t1;
    }
  };
  run(Math.min(count, 20_000)); // warm-up: let V8 optimise the paths
  txUs = 0;
  rxUs = 0;
  got = 0;
  run(count);
  return { txNs: (txUs * 1e3) / got, rxNs: (rxUs * 1e3) / got, packets: got };
}
