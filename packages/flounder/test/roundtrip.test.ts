/**
 * Property: for every message of every corpus interface (and the project's own), random valid
 * arguments up to the bounds arrive unchanged, over each of the three transports — first over the
 * in-test loopback channel, then over the runtime's real `connectPair`. RPCs return random out-args.
 */
import { join } from "node:path";
import type { InterfaceModel, WireMessage } from "@shoal/idl";
import { connectPair, isShoalError, type Transport } from "@shoal/runtime";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { layoutMessage } from "../src/layout.js";
import { argsArb } from "./support/arbitraries.js";
import {
  type BindingClass,
  CORPUS_DIR,
  type GeneratedBinding,
  INTERFACES_DIR,
  importBinding,
  interfaceFiles,
  loadModels,
  PACKAGE_DIR,
  scratchDir,
  writeStubs,
} from "./support/corpus.js";
import { loopbackPair } from "./support/loopback.js";

const TRANSPORTS: readonly Transport[] = ["urpc", "lrpc", "port"];
const TIMEOUT_MS = 5_000;

interface Loaded {
  readonly model: InterfaceModel;
  readonly cls: BindingClass;
}

let loaded: Loaded[] = [];

beforeAll(async () => {
  for (const [dir, sub] of [
    [INTERFACES_DIR, "own"],
    [join(PACKAGE_DIR, "test/fixtures"), "fixtures"],
    [CORPUS_DIR, "corpus"],
  ] as const) {
    const models = await loadModels(interfaceFiles(dir));
    const paths = writeStubs(models, scratchDir(`roundtrip/${sub}`));
    for (const model of models) {
      const path = paths.get(model.name) ?? "";
      loaded.push({ model, cls: await importBinding(path, model.name) });
    }
  }
  loaded = loaded.filter((l) => l.model.messages.length > 0);
}, 120_000);

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A server whose handlers record what arrives and answer rpcs with the planned out-arguments. */
function recordingServer() {
  let waiting: ((v: { name: string; args: unknown[] }) => void) | undefined;
  let reply: Record<string, unknown> | undefined;
  const errors: unknown[] = [];
  const rx = new Proxy(
    {},
    {
      get:
        (_t, name) =>
        (...args: unknown[]) =>
          waiting?.({ name: String(name), args }),
    },
  );
  const rpc = new Proxy(
    {},
    {
      get:
        (_t, name) =>
        (...args: unknown[]) => {
          waiting?.({ name: String(name), args });
          return reply;
        },
    },
  );
  return {
    options: { rx, rpc, onError: (e: unknown) => errors.push(e) },
    errors,
    next(out?: Record<string, unknown>): Promise<{ name: string; args: unknown[] }> {
      reply = out;
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
  };
}

/** The sendable units of an interface: plain messages and rpcs (call + response halves). */
function units(model: InterfaceModel): { msg: WireMessage; resp: WireMessage | undefined }[] {
  const out: { msg: WireMessage; resp: WireMessage | undefined }[] = [];
  for (const m of model.messages) {
    if (m.origin === "message") out.push({ msg: m, resp: undefined });
    if (m.origin === "call")
      out.push({ msg: m, resp: model.messages.find((r) => r.rpc === m.rpc && r.origin === "response") });
  }
  return out;
}

function hasCaps(model: InterfaceModel, m: WireMessage | undefined): boolean {
  return m !== undefined && layoutMessage(model, m).caps.length > 0;
}

/** Rejects unless `p` rejects with a ShoalError of `code`. */
async function expectCode(p: Promise<unknown> | undefined, code: string, what: string): Promise<void> {
  const e = await withTimeout(
    (p ?? Promise.resolve()).then(
      () => undefined,
      (err: unknown) => err,
    ),
    what,
  );
  expect(isShoalError(e) ? e.code : e).toBe(code);
}

async function roundTrips(
  l: Loaded,
  client: GeneratedBinding,
  server: ReturnType<typeof recordingServer>,
  capsRefused: boolean,
) {
  const arb = fc
    .constantFrom(...units(l.model))
    .chain((u) =>
      fc.tuple(
        fc.constant(u),
        argsArb(l.model, u.msg),
        u.resp === undefined ? fc.constant([] as unknown[]) : argsArb(l.model, u.resp),
      ),
    );
  await fc.assert(
    fc.asyncProperty(arb, async ([u, args, outs]) => {
      if (capsRefused && hasCaps(l.model, u.msg)) {
        const send =
          u.resp === undefined ? client.tx[u.msg.name]?.(...args) : client.rpc[u.msg.rpc ?? ""]?.(...args);
        return expectCode(send, "CAP_TRANSFER", u.msg.name);
      }
      if (capsRefused && hasCaps(l.model, u.resp)) {
        server.next(Object.fromEntries(u.resp?.args.map((a, i) => [a.name, outs[i]]) ?? []));
        await expectCode(client.rpc[u.msg.rpc ?? ""]?.(...args), "RPC_FAILED", u.msg.name);
        server.errors.length = 0;
        return;
      }
      if (u.resp === undefined) {
        const arrived = server.next();
        await withTimeout(client.tx[u.msg.name]?.(...args) ?? Promise.reject(new Error("no tx")), u.msg.name);
        const got = await withTimeout(arrived, `${l.model.name}.${u.msg.name}`);
        expect(got).toEqual({ name: u.msg.name, args });
      } else {
        const outObj: Record<string, unknown> = {};
        u.resp.args.forEach((a, i) => {
          outObj[a.name] = outs[i];
        });
        const arrived = server.next(u.resp.args.length > 0 ? outObj : undefined);
        const rpcName = u.msg.rpc ?? "";
        const result = await withTimeout(
          client.rpc[rpcName]?.(...args) ?? Promise.reject(new Error("no rpc")),
          `${l.model.name}.${rpcName}`,
        );
        expect(await arrived).toEqual({ name: rpcName, args });
        expect(result).toEqual(u.resp.args.length > 0 ? outObj : undefined);
      }
    }),
    { numRuns: Math.max(12, 2 * l.model.messages.length) },
  );
  expect(server.errors).toEqual([]);
}

describe.each(TRANSPORTS)("round trip over the loopback channel (%s)", (transport) => {
  it("every message of every interface arrives unchanged", async () => {
    expect(loaded.length).toBeGreaterThan(60);
    expect(loaded.map((l) => l.model.name)).toContain("kitchen_sink");
    for (const l of loaded) {
      const [a, b] = loopbackPair(transport);
      const server = recordingServer();
      l.cls.bindChannel(b, server.options);
      const client = l.cls.bindChannel(a);
      await roundTrips(l, client, server, false);
      await client.close();
    }
  }, 300_000);
});

describe.each(TRANSPORTS)("round trip over connectPair (%s)", (transport) => {
  it("every message of every interface arrives unchanged", async () => {
    for (const l of loaded) {
      const [a, b] = connectPair(transport);
      const server = recordingServer();
      const s = l.cls.bind(b, server.options);
      const client = l.cls.bind(a);
      try {
        // The runtime's port transport refuses capabilities until the monitor exists.
        await roundTrips(l, client, server, transport === "port");
      } finally {
        await withTimeout(client.close(), "close");
        await withTimeout(s.close(), "close");
      }
    }
  }, 300_000);
});
