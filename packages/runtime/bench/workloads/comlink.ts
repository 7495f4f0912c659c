/**
 * Baseline: Comlink 4 RPC over a worker (its Node adapter on worker_threads). Comlink only has calls,
 * so it has no one-way ping-pong; its throughput keeps 16 calls in flight.
 */
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { BenchError } from "../errors.js";
import { guard } from "../harness/guard.js";
import { WorkerHost } from "../harness/worker-host.js";
import { workerUrl } from "../harness/worker-url.js";
import { IN_FLIGHT } from "../results.js";
import type { ComlinkApi } from "./comlink-api.js";
import { type Suite, unsupportedTest } from "./suite.js";

/** Opens the Comlink suite. */
export async function openComlink(timeoutMs: number): Promise<Suite> {
  const host = await WorkerHost.start<{ kind: "ready" }>(
    "comlink",
    workerUrl("comlink-worker"),
    null,
    timeoutMs,
  );
  // Comlink's replies arrive on the same port: keep them out of the host's mailbox.
  host.direct = () => {};
  return new ComlinkSuite(host, timeoutMs);
}

class ComlinkSuite implements Suite {
  readonly transport = "comlink";
  readonly unsupported = { pingpong: "Comlink has calls only, no one-way messages" };
  private readonly api: Comlink.Remote<ComlinkApi>;

  constructor(
    private readonly host: WorkerHost<{ kind: "ready" }>,
    private readonly timeoutMs: number,
  ) {
    this.api = Comlink.wrap<ComlinkApi>(nodeEndpoint(host.worker));
  }

  pingpong(): Promise<Float64Array> {
    return Promise.reject(unsupportedTest(this.transport, "pingpong"));
  }

  rpc(rounds: number, batch: number): Promise<Float64Array> {
    let i = 0;
    const work = (async () => {
      const samples = new Float64Array(rounds / batch);
      for (let s = 0; s < samples.length; s++) {
        const t0 = performance.now();
        for (let b = 0; b < batch; b++, i++) {
          if ((await this.api.echo(i)) !== i)
            throw new BenchError("WRONG_RESULT", `comlink: wrong echo for ${i}`);
        }
        samples[s] = ((performance.now() - t0) * 1e6) / batch;
      }
      return samples;
    })();
    return guard(work, () => i, this.host, this.timeoutMs, "comlink rpc");
  }

  async throughput(payloadBytes: number, messages: number): Promise<number> {
    const data = new Uint8Array(payloadBytes).fill(7);
    let done = 0;
    const work = (async () => {
      await this.api.takeBytes();
      const t0 = performance.now();
      let sent = 0;
      // 16 lanes, each awaiting its call before making the next: 16 calls in flight.
      const lane = async () => {
        while (sent < messages) {
          sent += 1;
          await this.api.payload(data);
          done += 1;
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      const elapsed = (performance.now() - t0) * 1e6;
      const bytes = await this.api.takeBytes();
      if (bytes !== messages * payloadBytes) {
        throw new BenchError(
          "WRONG_RESULT",
          `comlink: ${bytes} bytes arrived, sent ${messages * payloadBytes}`,
        );
      }
      return elapsed;
    })();
    return guard(work, () => done, this.host, this.timeoutMs, "comlink throughput");
  }

  async close(): Promise<void> {
    this.api[Comlink.releaseProxy]();
    await this.host.terminate();
  }
}
