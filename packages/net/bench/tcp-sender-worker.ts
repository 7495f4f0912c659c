/**
 * The sending half of the cross-thread Node `net` baseline (the counterpart of TCP bulk between
 * domains): a worker thread connects to the main thread's server over the kernel loopback and writes
 * `total` bytes in 64 KiB writes, honouring backpressure (`drain`), then ends. Built to
 * dist/bench/tcp-sender-worker.js (workers need built JavaScript).
 */
import { connect } from "node:net";
import { parentPort, workerData } from "node:worker_threads";

interface Job {
  readonly port: number;
  readonly total: number;
  readonly chunk: number;
}

const job = workerData as Job;
const c = connect(job.port, "127.0.0.1", () => {
  const src = Buffer.alloc(job.chunk, 0x5a);
  let sent = 0;
  const pump = () => {
    while (sent < job.total) {
      const n = Math.min(job.chunk, job.total - sent);
      sent += n;
      if (!c.write(n === job.chunk ? src : src.subarray(0, n))) {
        c.once("drain", pump);
        return;
      }
    }
    c.end(() => parentPort?.postMessage("done"));
  };
  pump();
});
c.on("error", (e) => parentPort?.postMessage(`error: ${e.message}`));
