import { describe, expect, it } from "vitest";
import { isBenchError } from "../errors.js";
import { guard } from "./guard.js";
import { WorkerHost } from "./worker-host.js";

const code = (js: string) => new URL(`data:text/javascript,${encodeURIComponent(js)}`);
const READY = `import { parentPort } from "node:worker_threads"; parentPort.postMessage({ kind: "ready" });`;

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("WorkerHost", () => {
  it("turns a worker that throws at start-up into WORKER_FAILED", async () => {
    const e = await failure(WorkerHost.start("t", code(`throw new Error("boom")`), null, 5000));
    expect(isBenchError(e, "WORKER_FAILED")).toBe(true);
    expect((e as Error).message).toMatch(/boom/);
  });

  it("turns a worker that exits early into WORKER_FAILED", async () => {
    const e = await failure(WorkerHost.start("t", code("process.exit(3)"), null, 5000));
    expect(isBenchError(e, "WORKER_FAILED")).toBe(true);
    expect((e as Error).message).toMatch(/code 3/);
  });

  it("times out on a worker that never says ready", async () => {
    const e = await failure(WorkerHost.start("t", code("setInterval(() => {}, 1000)"), null, 200));
    expect(isBenchError(e, "TIMEOUT")).toBe(true);
  });

  it("fails a pending wait and a guarded loop when the worker crashes later", async () => {
    const host = await WorkerHost.start<{ kind: "ready" } | { kind: "never" }>(
      "t",
      code(`${READY} setTimeout(() => { throw new Error("late crash"); }, 50);`),
      null,
      5000,
    );
    try {
      const stalled = guard(new Promise<never>(() => {}), () => 0, host, 5000, "loop");
      const e = await failure(host.next("never", 5000));
      expect(isBenchError(e, "WORKER_FAILED")).toBe(true);
      expect((e as Error).message).toMatch(/late crash/);
      expect(isBenchError(await failure(stalled), "WORKER_FAILED")).toBe(true);
    } finally {
      await host.terminate();
    }
  });

  it("guard fails a loop whose progress counter stops moving", async () => {
    const e = await failure(guard(new Promise<never>(() => {}), () => 0, null, 100, "stuck loop"));
    expect(isBenchError(e, "TIMEOUT")).toBe(true);
    expect((e as Error).message).toMatch(/stuck loop/);
  });
});
