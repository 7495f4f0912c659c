/**
 * Generated stubs across threads: the server end of a connection is posted to a worker, which binds it
 * with the same generated class (`PingPong.bind(endpoint)`), for the two transports that cross threads.
 * Every wait has a deadline and the worker is always terminated.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { connectPair, transferList } from "@shoal/runtime";
import ts from "typescript";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { type BindingClass, INTERFACES_DIR, loadModels, scratchDir } from "./support/corpus.js";

const DEADLINE_MS = 10_000;
let dir: string;
let PingPong: BindingClass;
const workers: Worker[] = [];

const WORKER_SOURCE = `
import { parentPort, workerData } from "node:worker_threads";
import { PingPong } from "./ping_pong.mjs";
const server = PingPong.bind(workerData.endpoint, {
  rx: {
    ping(v) { void server.tx.pong(v + 1n); },
    str(id, s) { void server.tx.str(id + 1, s.toUpperCase()); },
    arr(id, a) { void server.tx.arr(id + 1, a.reverse()); },
    stop() { void server.close().then(() => parentPort.postMessage("stopped")); },
  },
  rpc: { testrpc: async (x) => ({ testout: x * 3n }) },
  onError: (e) => parentPort.postMessage("error: " + e.code + " " + e.message),
});
parentPort.postMessage("bound");
`;

beforeAll(async () => {
  dir = scratchDir("worker");
  const [model] = await loadModels([join(INTERFACES_DIR, "ping_pong.if")]);
  if (model === undefined) throw new Error("ping_pong.if");
  const js = ts.transpileModule(generate(model), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  writeFileSync(join(dir, "ping_pong.mjs"), js);
  writeFileSync(join(dir, "server.mjs"), WORKER_SOURCE);
  PingPong = (await import(pathToFileURL(join(dir, "ping_pong.mjs")).href)).PingPong as BindingClass;
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

function within<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), DEADLINE_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe.each(["urpc", "port"] as const)("generated stubs with a worker (%s)", (transport) => {
  it("exchanges messages, rpcs, strings and arrays with a worker that binds a posted endpoint", async () => {
    const [mine, theirs] = connectPair(transport);
    const worker = new Worker(new URL(pathToFileURL(join(dir, "server.mjs")).href), {
      workerData: { endpoint: theirs },
      transferList: transferList(theirs),
    });
    workers.push(worker);
    const reports: string[] = [];
    let onReport: ((r: string) => void) | undefined;
    worker.on("message", (r: string) => {
      reports.push(r);
      onReport?.(r);
    });
    const report = (want: string) =>
      within(
        `worker: ${want}`,
        new Promise<void>((resolve) => {
          if (reports.includes(want)) return resolve();
          onReport = (r) => r === want && resolve();
        }),
      );
    await report("bound");

    let next: ((v: unknown) => void) | undefined;
    const arrival = () => new Promise<unknown>((resolve) => (next = resolve));
    const client = PingPong.bind(mine, {
      rx: {
        pong: (v: bigint) => next?.(v),
        str: (id: number, s: string) => next?.([id, s]),
        arr: (id: number, a: Uint8Array) => next?.([id, [...a]]),
      },
    });
    for (const v of [1n, 2n ** 63n, 2n ** 64n - 2n]) {
      const got = arrival();
      await within("tx.ping", client.tx.ping?.(v) ?? Promise.resolve());
      expect(await within("pong", got)).toBe(v + 1n);
    }
    expect(await within("rpc.testrpc", client.rpc.testrpc?.(14n) ?? Promise.resolve())).toEqual({
      testout: 42n,
    });
    const text = `grüße ${"ü".repeat(500)}`;
    let got = arrival();
    await within("tx.str", client.tx.str?.(1, text) ?? Promise.resolve());
    expect(await within("str echo", got)).toEqual([2, text.toUpperCase()]);
    got = arrival();
    await within("tx.arr", client.tx.arr?.(3, Uint8Array.from([1, 2, 3])) ?? Promise.resolve());
    expect(await within("arr echo", got)).toEqual([4, [3, 2, 1]]);

    await within("tx.stop", client.tx.stop?.() ?? Promise.resolve());
    await report("stopped");
    await within("close", client.close());
    expect(reports.filter((r) => r.startsWith("error"))).toEqual([]);
  });
});
