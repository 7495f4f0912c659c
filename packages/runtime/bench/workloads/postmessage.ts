/**
 * Baseline: plain worker `postMessage`. Main is one side, one worker the other; both sleep in their
 * event loops between messages, which is what postMessage costs in practice.
 */
import { BenchError } from "../errors.js";
import { guard } from "../harness/guard.js";
import { WorkerHost } from "../harness/worker-host.js";
import { workerUrl } from "../harness/worker-url.js";
import { IN_FLIGHT } from "../results.js";
import type { PmReply } from "./postmessage-protocol.js";
import type { Suite } from "./suite.js";

/** Opens the postMessage suite. */
export async function openPostMessage(timeoutMs: number): Promise<Suite> {
  const host = await WorkerHost.start<PmReply>(
    "postmessage",
    workerUrl("postmessage-worker"),
    null,
    timeoutMs,
  );
  return new PostMessageSuite(host, timeoutMs);
}

class PostMessageSuite implements Suite {
  readonly transport = "postmessage";
  readonly unsupported = {};
  private nextId = 1;

  constructor(
    private readonly host: WorkerHost<PmReply>,
    private readonly timeoutMs: number,
  ) {}

  pingpong(rounds: number, batch: number): Promise<Float64Array> {
    const { host } = this;
    const samples = new Float64Array(rounds / batch);
    let i = 0;
    const work = new Promise<Float64Array>((resolve, reject) => {
      let t0 = performance.now();
      host.direct = (m) => {
        if (m !== i) {
          reject(new BenchError("WRONG_RESULT", `postmessage: pong ${String(m)}, expected ${i}`));
          return;
        }
        i += 1;
        if (i % batch === 0) {
          const t1 = performance.now();
          samples[i / batch - 1] = ((t1 - t0) * 1e6) / batch;
          t0 = t1;
        }
        if (i === rounds) resolve(samples);
        else host.worker.postMessage(i);
      };
      host.worker.postMessage(i);
    });
    return this.guarded(work, () => i, "postmessage pingpong");
  }

  rpc(rounds: number, batch: number): Promise<Float64Array> {
    const { host } = this;
    const pending = new Map<number, (v: number) => void>();
    host.direct = (m) => {
      if (typeof m === "object" && m.kind === "ret") pending.get(m.id)?.(m.v);
    };
    // A minimal hand-rolled RPC: id-tagged requests, replies matched through a map of resolvers.
    const call = (v: number) =>
      new Promise<number>((resolve) => {
        const id = this.nextId++;
        pending.set(id, (r) => {
          pending.delete(id);
          resolve(r);
        });
        host.worker.postMessage({ kind: "call", id, v });
      });
    let i = 0;
    const work = (async () => {
      const samples = new Float64Array(rounds / batch);
      for (let s = 0; s < samples.length; s++) {
        const t0 = performance.now();
        for (let b = 0; b < batch; b++, i++) {
          if ((await call(i)) !== i)
            throw new BenchError("WRONG_RESULT", `postmessage rpc: wrong echo for ${i}`);
        }
        samples[s] = ((performance.now() - t0) * 1e6) / batch;
      }
      return samples;
    })();
    return this.guarded(work, () => i, "postmessage rpc");
  }

  async throughput(payloadBytes: number, messages: number): Promise<number> {
    const { host } = this;
    host.direct = null;
    host.post({ kind: "expect", count: messages });
    await host.next("expecting", this.timeoutMs);
    const data = new Uint8Array(payloadBytes).fill(7);
    let sent = 0;
    let credited = 0;
    const work = new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const pump = () => {
        while (sent < messages && sent - credited < IN_FLIGHT) {
          host.worker.postMessage(data);
          sent += 1;
        }
      };
      host.direct = (m) => {
        if (typeof m !== "object") return;
        if (m.kind === "credit") {
          credited += m.count;
          pump();
        } else if (m.kind === "done") {
          const elapsed = (performance.now() - t0) * 1e6;
          if (m.count !== messages * payloadBytes) {
            reject(
              new BenchError(
                "WRONG_RESULT",
                `postmessage: ${m.count} bytes arrived, sent ${messages * payloadBytes}`,
              ),
            );
          } else resolve(elapsed);
        }
      };
      pump();
    });
    return this.guarded(work, () => credited, "postmessage throughput");
  }

  async close(): Promise<void> {
    await this.host.terminate();
  }

  private async guarded<T>(work: Promise<T>, progress: () => number, what: string): Promise<T> {
    try {
      return await guard(work, progress, this.host, this.timeoutMs, what);
    } finally {
      this.host.direct = null;
    }
  }
}
