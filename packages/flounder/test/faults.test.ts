/**
 * Every fault path of a generated binding over the real transports (not the test loopback), the same
 * test once per transport: rpc handlers that throw, reject, are missing or return a wrong-typed result;
 * wrong-typed arguments; closes with calls pending; deadlines. Every call settles, with a typed error
 * naming the message or rpc. The rpc faults also run across threads (urpc, port).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { connectPair, type Endpoint, type ShoalError, type Transport, transferList } from "@shoal/runtime";
import ts from "typescript";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { type BindingClass, importBinding, loadModels, scratchDir, writeStubs } from "./support/corpus.js";

const SOURCE = `interface faulty "every fault path" {
    typedef enum { RED, GREEN } color;
    typedef struct { uint32 x; bool on; } pt;
    typedef uint8 quad[4];
    message num(uint32 n);
    message big(uint64 v);
    message flag(bool b);
    message paint(color c);
    message shape(pt p, quad q);
    message text(String s[64]);
    message bytes(uint8 data[len, 64]);
    rpc echo(in uint64 a, out uint64 b);
    rpc never(in uint32 a, out uint32 b);
    rpc unserved(in uint32 a, out uint32 b);
};
`;

let Faulty: BindingClass;
let dir: string;

beforeAll(async () => {
  dir = scratchDir("faults");
  const file = join(dir, "faulty.if");
  writeFileSync(file, SOURCE);
  const [model] = await loadModels([file]);
  if (model === undefined) throw new Error("faulty.if");
  Faulty = await importBinding(writeStubs([model], dir).get("faulty") ?? "", "faulty");
  const js = ts.transpileModule(generate(model), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  writeFileSync(join(dir, "faulty.mjs"), js);
  writeFileSync(join(dir, "server.mjs"), WORKER_SOURCE);
});

/** The server's rpc handlers: echo doubles, throws for 13, rejects for 14, returns garbage for 15. */
const HANDLERS = {
  echo: (a: bigint) => {
    if (a === 13n) throw new Error("unlucky 13");
    if (a === 14n) return Promise.reject(new Error("async unlucky 14"));
    if (a === 15n) return { b: "not a bigint" } as unknown as { b: bigint };
    return { b: a * 2n };
  },
  never: () => new Promise<never>(() => undefined),
};

const WORKER_SOURCE = `
import { parentPort, workerData } from "node:worker_threads";
import { Faulty } from "./faulty.mjs";
Faulty.bind(workerData.endpoint, {
  rpc: {
    echo: (a) => {
      if (a === 13n) throw new Error("unlucky 13");
      if (a === 14n) return Promise.reject(new Error("async unlucky 14"));
      if (a === 15n) return { b: "not a bigint" };
      return { b: a * 2n };
    },
    never: () => new Promise(() => {}),
  },
  onError: () => {},
});
parentPort.postMessage("bound");
`;

type Rpc = (...args: unknown[]) => Promise<unknown>;

function pair(transport: Transport) {
  const [ea, eb] = connectPair(transport);
  const serverErrors: ShoalError[] = [];
  const server = Faulty.bind(eb, { rpc: HANDLERS, onError: (e: ShoalError) => serverErrors.push(e) });
  const client = Faulty.bind(ea);
  const rpc = (name: string) => client.rpc[name] as Rpc;
  return { client, server, serverErrors, rpc };
}

/** The rpc faults, against a server wherever it runs. */
async function rpcFaults(rpc: (name: string) => Rpc): Promise<void> {
  await expect(rpc("echo")(21n)).resolves.toEqual({ b: 42n });
  await expect(rpc("echo")(13n)).rejects.toMatchObject({
    code: "RPC_FAILED",
    messageName: "echo",
    message: "faulty.echo: unlucky 13",
  });
  await expect(rpc("echo")(14n)).rejects.toMatchObject({
    code: "RPC_FAILED",
    message: "faulty.echo: async unlucky 14",
  });
  const garbage = (await rpc("echo")(15n).catch((e: unknown) => e)) as ShoalError;
  expect(garbage.code).toBe("RPC_FAILED");
  expect(garbage.message).toMatch(
    /response to echo could not be sent: .*'b' must be a bigint, got the string/,
  );
  await expect(rpc("unserved")(1)).rejects.toMatchObject({ code: "RPC_FAILED", messageName: "unserved" });
  // The binding still works after all of that.
  await expect(rpc("echo")(5n)).resolves.toEqual({ b: 10n });
}

describe.each(["urpc", "lrpc", "port"] as const)("fault paths over %s", (transport) => {
  it("rpc handlers that throw, reject, return garbage or are missing: every call settles", async () => {
    const { client, server, serverErrors, rpc } = pair(transport);
    await rpcFaults(rpc);
    expect(serverErrors.map((e) => e.code)).toContain("BAD_ARGUMENT");
    await client.close();
    await server.close();
  });

  it("wrong-typed arguments reject with BAD_ARGUMENT naming message and field, the same everywhere", async () => {
    const { client, server } = pair(transport);
    const tx = client.tx as Record<string, (...a: unknown[]) => Promise<void>>;
    const cases: [string, unknown[], string, RegExp][] = [
      ["num", ["42"], "n", /must be an integer number, got the string "42"/],
      ["num", [1.5], "n", /must be an integer number, got the number 1.5/],
      ["big", [5], "v", /must be a bigint, got the number 5/],
      ["flag", [1], "b", /must be a boolean, got the number 1/],
      ["paint", ["PURPLE"], "c", /must be one of 'RED', 'GREEN', got the string "PURPLE"/],
      ["shape", [null, [1, 2, 3, 4]], "p", /must be a pt object, got null/],
      ["shape", [{ x: 1, on: "yes" }, [1, 2, 3, 4]], "p.on", /must be a boolean/],
      [
        "shape",
        [{ x: 1, on: true }, [1, 2, 3]],
        "q",
        /must be an array of exactly 4 elements, got an array of 3/,
      ],
      ["shape", [{ x: 1, on: true }, [1, 2, "3", 4]], "q[2]", /must be an integer number/],
      ["text", [7], "s", /must be a string, got the number 7/],
      ["bytes", [[1, 2, 3]], "data", /must be a Uint8Array, got an array of 3 elements/],
    ];
    for (const [name, args, field, text] of cases) {
      let sync: unknown;
      let p: Promise<void> | undefined;
      try {
        p = tx[name]?.(...args);
      } catch (e) {
        sync = e;
      }
      expect(sync, `${name} threw synchronously`).toBeUndefined();
      const e = (await p?.catch((x: unknown) => x)) as ShoalError;
      expect(e.code, `${name}(${String(args)})`).toBe("BAD_ARGUMENT");
      expect(e.messageName).toBe(name);
      expect(e.field).toBe(field);
      expect(e.message).toMatch(text);
    }
    await expect((client.rpc.echo as Rpc)("1")).rejects.toMatchObject({ code: "BAD_ARGUMENT", field: "a" });
    await client.close();
    await server.close();
  });

  it("a close fails pending calls and later sends with CLOSED naming them", async () => {
    const { client, server } = pair(transport);
    const pending = (client.rpc.never as Rpc)(1);
    await new Promise((r) => setTimeout(r, 10));
    await client.close();
    await expect(pending).rejects.toMatchObject({ code: "CLOSED", messageName: "never" });
    await expect(pending).rejects.toThrow(/^faulty\.never: /);
    const late = (await client.tx.num?.(1).catch((e: unknown) => e)) as ShoalError;
    expect(late.code).toBe("CLOSED");
    expect(late.messageName).toBe("num");
    expect(late.message).toMatch(/^faulty\.num: /);
    await server.close();
  });

  it("onClose tells each end once that the binding ended, and why", async () => {
    const [ea, eb] = connectPair(transport);
    const ends: Record<string, string[]> = { client: [], server: [] };
    const server = Faulty.bind(eb, { rpc: HANDLERS, onClose: (e: ShoalError) => ends.server?.push(e.code) });
    const client = Faulty.bind(ea, { onClose: (e: ShoalError) => ends.client?.push(e.code) });
    await expect((client.rpc.echo as Rpc)(1n)).resolves.toEqual({ b: 2n });
    expect(ends).toEqual({ client: [], server: [] });
    await client.close();
    await until(() => ends.server?.length === 1);
    await client.close();
    await server.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(ends).toEqual({ client: ["CLOSED"], server: ["CLOSED"] });
    // A peer that never binds: TIMEOUT; an onClose that throws is reported, not thrown.
    const [lonely] = connectPair(transport);
    const errors: string[] = [];
    const closes: string[] = [];
    Faulty.bind(lonely, {
      timeoutMs: 30,
      onError: (e: ShoalError) => errors.push(`${e.code} ${e.messageName ?? ""}`),
      onClose: (e: ShoalError) => {
        closes.push(e.code);
        throw new Error("cleanup failed");
      },
    });
    await until(() => closes.length === 1);
    expect(closes).toEqual(["TIMEOUT"]);
    expect(errors).toEqual(["TIMEOUT ", "HANDLER_FAILED onClose"]);
  });

  it("a call past its deadline rejects with TIMEOUT; bad call options with BAD_OPTION", async () => {
    const { client, server } = pair(transport);
    await expect((client.rpc.never as Rpc)(1, { timeoutMs: 30 })).rejects.toMatchObject({
      code: "TIMEOUT",
      messageName: "never",
    });
    await expect((client.rpc.echo as Rpc)(2n, { timeoutMs: 5_000 })).resolves.toEqual({ b: 4n });
    await expect((client.rpc.echo as Rpc)(2n, { timeoutMs: -1 })).rejects.toMatchObject({
      code: "BAD_OPTION",
    });
    await client.close();
    await server.close();
  });

  it("a binding's timeoutMs: the default deadline of its calls, and of its peer's bind", async () => {
    const [ea, eb] = connectPair(transport);
    Faulty.bind(eb, { rpc: HANDLERS });
    const client = Faulty.bind(ea, { timeoutMs: 40 });
    await expect((client.rpc.never as Rpc)(1)).rejects.toMatchObject({ code: "TIMEOUT" });
    await client.close();
    const [lonely, unbound] = connectPair(transport);
    const errors: ShoalError[] = [];
    const waiting = Faulty.bind(lonely, { timeoutMs: 40, onError: (e: ShoalError) => errors.push(e) });
    const call = (waiting.rpc.echo as Rpc)(1n);
    await expect(call).rejects.toMatchObject({ code: "TIMEOUT" });
    expect(() => Faulty.bind(unbound, { timeoutMs: "soon" })).toThrow(/options.timeoutMs must be a positive/);
    void unbound;
  });
});

/** Waits until `done()` holds, polling; fails after 10 s (the transports' notices are asynchronous). */
async function until(done: () => boolean): Promise<void> {
  const t0 = Date.now();
  while (!done()) {
    if (Date.now() - t0 > 10_000) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

/** The faulty server bound in a worker on one end of a new connection; resolves once it is bound. */
async function serverWorker(transport: "urpc" | "port"): Promise<{ mine: Endpoint; worker: Worker }> {
  const [mine, theirs] = connectPair(transport);
  const worker = new Worker(new URL(pathToFileURL(join(dir, "server.mjs")).href), {
    workerData: { endpoint: theirs },
    transferList: transferList(theirs),
  });
  workers.push(worker);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("worker did not bind")), 10_000);
    worker.once("message", () => {
      clearTimeout(t);
      resolve();
    });
  });
  return { mine, worker };
}

describe.each(["urpc", "port"] as const)("rpc fault paths across threads (%s)", (transport) => {
  it("every call settles with RPC_FAILED when the worker's handler fails", async () => {
    const { mine } = await serverWorker(transport);
    const client = Faulty.bind(mine, { timeoutMs: 10_000 });
    await rpcFaults((name) => client.rpc[name] as Rpc);
    await client.close();
  });

  it("a call pending when the worker dies fails with PEER_DIED naming the rpc", async () => {
    const { mine, worker } = await serverWorker(transport);
    const client = Faulty.bind(mine, { onError: () => {} });
    await expect((client.rpc.echo as Rpc)(1n)).resolves.toEqual({ b: 2n });
    const pending = (client.rpc.never as Rpc)(1).catch((e: unknown) => e);
    await worker.terminate();
    const e = (await pending) as ShoalError;
    expect(e).toMatchObject({ code: "PEER_DIED", messageName: "never" });
    expect(e.message).toMatch(/^faulty\.never: /);
  });

  it("onClose hears PEER_DIED when the worker holding the other end dies", async () => {
    const { mine, worker } = await serverWorker(transport);
    const closes: string[] = [];
    const client = Faulty.bind(mine, { onError: () => {}, onClose: (e: ShoalError) => closes.push(e.code) });
    await expect((client.rpc.echo as Rpc)(4n)).resolves.toEqual({ b: 8n });
    await worker.terminate();
    await until(() => closes.length > 0);
    expect(closes).toEqual(["PEER_DIED"]);
  });
});
