// The name service: export/bind by name within a thread (lrpc) and across workers (urpc), with a
// transport override, a timeout for unknown names and a refusal of lrpc across threads.
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { bindService, type Endpoint, exportService, nameServiceLink, openChannel } from "../src/index.js";
import { PING, Recorder, SEQ, TEST_INFO, until } from "./helpers/test-interface.js";

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

function spawn(data: Record<string, unknown>): { worker: Worker; first: Promise<Record<string, unknown>> } {
  const link = nameServiceLink();
  const worker = new Worker(new URL("./fixtures/names-worker.mjs", import.meta.url), {
    workerData: { ...data, names: link },
    transferList: [link.port],
  });
  workers.push(worker);
  const first = new Promise<Record<string, unknown>>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("worker did not report in 10 s")), 10_000);
    worker.once("message", (m) => {
      clearTimeout(t);
      resolve(m);
    });
  });
  return { worker, first };
}

function serve(name: string): Promise<{ rec: Recorder; eps: Endpoint[]; unexport(): void }> {
  const rec = new Recorder();
  const eps: Endpoint[] = [];
  return exportService(name, (ep) => {
    eps.push(ep);
    openChannel(ep).open(TEST_INFO, rec);
  }).then((s) => ({ rec, eps, unexport: () => s.unexport() }));
}

describe("name service", () => {
  it("binds within one thread over lrpc, or over the transport asked for", async () => {
    const svc = await serve("local-svc");
    const ep = await bindService("local-svc");
    expect(ep.transport).toBe("lrpc");
    const ch = openChannel(ep);
    ch.open(TEST_INFO, new Recorder());
    await ch.sendValues(PING, 0, [1n]);
    expect(svc.rec.seen[0]?.values).toEqual([1n]);
    const ep2 = await bindService("local-svc", { transport: "urpc" });
    expect(ep2.transport).toBe("urpc");
    await ch.close();
    svc.unexport();
  });

  it("lets a worker bind to a name exported here (urpc between threads)", async () => {
    const svc = await serve("main-svc");
    const { first } = spawn({ role: "bind", name: "main-svc", count: 10 });
    expect(await first).toEqual({ sent: 10, transport: "urpc" });
    await until(() => svc.rec.seen.length === 10, 10_000, "10 messages");
    expect(svc.rec.seen.map((s) => s.num === SEQ && s.words[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    svc.unexport();
  });

  it("binds here to a name a worker exported, and the override picks port", async () => {
    const { first } = spawn({ role: "export", name: "worker-svc" });
    expect(await first).toEqual({ exported: "worker-svc" });
    const ep = await bindService("worker-svc", { transport: "port" });
    expect(ep.transport).toBe("port");
    const ch = openChannel(ep);
    const rec = new Recorder();
    ch.open(TEST_INFO, rec);
    await ch.send(PING, 0, Uint32Array.of(41, 0), 2, null, null);
    await until(() => rec.seen.length === 1, 10_000, "the echo");
    expect(rec.seen[0]?.words.slice(0, 2)).toEqual([41, 0]);
    await ch.close();
  });

  it("fails with NO_SUCH_SERVICE after the timeout, and refuses lrpc across threads", async () => {
    await expect(bindService("nobody", { timeoutMs: 20 })).rejects.toMatchObject({ code: "NO_SUCH_SERVICE" });
    const svc = await serve("main-svc-2");
    const { first } = spawn({ role: "bind", name: "main-svc-2", transport: "lrpc" });
    expect(await first).toEqual({ error: "BAD_ENDPOINT" });
    svc.unexport();
  });
});
