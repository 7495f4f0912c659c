/**
 * Smoke step 4, run inside the consumer: a ping-pong between the main thread and a worker over the published
 * @shoal/runtime, through stubs the published flounder generated from ping_pong.if. Uses only the public
 * contract of generated stubs (DESIGN.md): connectPair, Binding.bind, tx.*, rpc.*, close.
 */
import { Worker } from "node:worker_threads";
import * as runtime from "@shoal/runtime";
import { PingPong } from "./gen/ping_pong.js";
import { deferred, describe, within } from "./timeout.js";

const WAIT_MS = 10_000;
const ROUNDS = [1n, 41n, 2n ** 40n];

type Endpoint = Parameters<typeof PingPong.bind>[0];
type WorkerReport = { kind: "bound" } | { kind: "stopped" } | { kind: "error"; message: string };

/** The runtime may ask for endpoint parts to be transferred rather than cloned; use it if it says so. */
function transferListFor(endpoint: Endpoint): import("node:worker_threads").TransferListItem[] {
  const maybe = (runtime as unknown as { transferList?: (ep: Endpoint) => Iterable<unknown> }).transferList;
  if (typeof maybe !== "function") return [];
  return [...maybe(endpoint)] as import("node:worker_threads").TransferListItem[];
}

async function main(): Promise<void> {
  const [local, remote] = runtime.connectPair("urpc");
  const worker = new Worker(new URL("./worker.js", import.meta.url), {
    workerData: { endpoint: remote },
    transferList: transferListFor(remote),
  });
  try {
    const bound = deferred<void>();
    const stopped = deferred<void>();
    const workerFailed = deferred<never>();
    worker.on("message", (report: WorkerReport) => {
      if (report.kind === "bound") bound.resolve();
      else if (report.kind === "stopped") stopped.resolve();
      else workerFailed.reject(new Error(report.message));
    });
    worker.on("error", (err) => workerFailed.reject(new Error(`worker crashed: ${describe(err)}`)));
    let stopSent = false;
    worker.on("exit", (code) => {
      // Once told to stop, the worker may finish on its own; before that, exiting means it died.
      if (!stopSent) workerFailed.reject(new Error(`worker exited early with code ${code}`));
    });
    workerFailed.promise.catch(() => {}); // Raced below; never an unhandled rejection.
    const guard = <T>(what: string, p: Promise<T>) =>
      within(what, WAIT_MS, Promise.race([p, workerFailed.promise]));

    await guard("the worker to bind its endpoint", bound.promise);

    let pong = deferred<bigint>();
    const client = PingPong.bind(local, {
      rx: {
        pong(val) {
          pong.resolve(val);
        },
      },
    });
    for (const n of ROUNDS) {
      pong = deferred<bigint>();
      await guard(`tx.ping(${n}) to be sent`, client.tx.ping(n));
      const got = await guard(`pong for ping(${n})`, pong.promise);
      if (got !== n + 1n)
        throw new Error(`ping(${n}) was answered by pong(${got}), expected pong(${n + 1n})`);
      console.log(`  ping(${n}) -> pong(${got})`);
    }
    const { testout } = await guard("rpc.testrpc(41)", client.rpc.testrpc(41n));
    if (testout !== 42n) throw new Error(`rpc.testrpc(41) returned ${testout}, expected 42`);
    console.log(`  rpc.testrpc(41) -> { testout: ${testout} }`);

    stopSent = true;
    await guard("tx.stop() to be sent", client.tx.stop());
    await guard("the worker to close its binding", stopped.promise);
    await guard("client.close()", client.close());
    console.log(`  exchanged ${ROUNDS.length} ping/pong pairs and 1 rpc over urpc with a worker thread`);
  } finally {
    await worker.terminate();
  }
}

main().catch((err: unknown) => {
  console.error(`ping-pong FAILED: ${describe(err)}`);
  process.exitCode = 1;
});
