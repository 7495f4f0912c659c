/**
 * Smoke step 4, run inside the consumer: a ping-pong between the main thread and a worker over the published
 * @shoal/runtime, through stubs the published flounder generated from ping_pong.if. Uses only the public
 * contract of generated stubs (docs/design.md): connectPair, Binding.bind, tx.*, rpc.*, close.
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

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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
    let echoedStr = deferred<{ id: number; s: string }>();
    let echoedArr = deferred<{ id: number; a: Uint8Array }>();
    const client = PingPong.bind(local, {
      rx: {
        pong(val) {
          pong.resolve(val);
        },
        str(id, s) {
          echoedStr.resolve({ id, s });
        },
        arr(id, a) {
          echoedArr.resolve({ id, a });
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

    // Multi-line messages: a UTF-8 string and a byte array each longer than one 64-byte line.
    const text = `shoal ✓ ${"ü".repeat(300)}`;
    echoedStr = deferred();
    await guard("tx.str to be sent", client.tx.str(7, text));
    const gotStr = await guard("the echo of str(7)", echoedStr.promise);
    if (gotStr.id !== 7 || gotStr.s !== text) throw new Error(`str(7) came back altered (id ${gotStr.id})`);
    const bytes = Uint8Array.from({ length: 2000 }, (_, i) => (i * 31) & 0xff);
    echoedArr = deferred();
    await guard("tx.arr to be sent", client.tx.arr(8, bytes));
    const gotArr = await guard("the echo of arr(8)", echoedArr.promise);
    if (gotArr.id !== 8 || !sameBytes(gotArr.a, bytes))
      throw new Error(`arr(8) came back altered (id ${gotArr.id})`);
    console.log(
      `  str(7, ${Buffer.byteLength(text)} UTF-8 bytes) and arr(8, ${bytes.length} bytes) echoed intact`,
    );

    stopSent = true;
    await guard("tx.stop() to be sent", client.tx.stop());
    await guard("the worker to close its binding", stopped.promise);
    await guard("client.close()", client.close());
    console.log(
      `  exchanged ${ROUNDS.length} ping/pong pairs, 1 rpc, 1 str and 1 arr over urpc with a worker thread`,
    );
  } finally {
    await worker.terminate();
  }
}

main().catch((err: unknown) => {
  console.error(`ping-pong FAILED: ${describe(err)}`);
  process.exitCode = 1;
});
