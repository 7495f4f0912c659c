/**
 * The sending half of the cross-thread Linux baseline: a worker thread sends 1000-byte datagrams over the
 * kernel loopback to the main thread, keeping at most `window` unreceived (the receiver publishes its
 * count in shared memory). Built to dist/bench/udp-sender-worker.js (workers need built JavaScript).
 */
import { createSocket } from "node:dgram";
import { parentPort, workerData } from "node:worker_threads";

interface Job {
  readonly port: number;
  readonly count: number;
  readonly window: number;
  readonly payload: number;
  /** [0]: datagrams the receiver has seen (written by the main thread). */
  readonly received: Int32Array;
}

const job = workerData as Job;
const tx = createSocket("udp4");
tx.connect(job.port, "127.0.0.1", () => {
  const payload = Buffer.alloc(job.payload, 0x61);
  let sent = 0;
  let lastProgress = Date.now();
  let lastSeen = 0;
  let credit = 0; // datagrams given up as lost after a stall
  const pump = () => {
    const seen = Atomics.load(job.received, 0);
    if (seen !== lastSeen) {
      lastSeen = seen;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > 200) {
      credit = sent - seen;
      lastProgress = Date.now();
    }
    while (sent < job.count && sent - seen - credit < job.window) {
      tx.send(payload);
      sent++;
    }
    if (sent < job.count) setImmediate(pump);
    else tx.close(() => parentPort?.postMessage("done"));
  };
  pump();
});
