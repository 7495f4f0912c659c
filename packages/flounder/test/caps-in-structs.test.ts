/**
 * Capabilities inside structs (test/fixtures/caps_in_structs.if): each travels out of band in argument
 * then field order and lands in its own field on the other side, the very reference that was sent,
 * over the three transports through the in-test loopback channel (which carries caps on every
 * transport) and over the runtime's connectPair for urpc and lrpc (its port transport refuses
 * capabilities until the monitor exists, with CAP_TRANSFER).
 */
import { join } from "node:path";
import { CapRef, connectPair, isShoalError, type Transport } from "@shoal/runtime";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type BindingClass,
  type GeneratedBinding,
  importBinding,
  loadModels,
  PACKAGE_DIR,
  scratchDir,
  writeStubs,
} from "./support/corpus.js";
import { loopbackPair } from "./support/loopback.js";

let Cls: BindingClass;

beforeAll(async () => {
  const models = await loadModels([join(PACKAGE_DIR, "test/fixtures/caps_in_structs.if")]);
  const path = writeStubs(models, scratchDir("caps-in-structs")).get("caps_in_structs") ?? "";
  Cls = await importBinding(path, "caps_in_structs");
}, 60_000);

function within<T>(p: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Distinct references, so that two caps swapped in transit would be seen. */
const cap = (name: string) => new CapRef(name);

interface Pool {
  id: number;
  trust: string;
  buffer_size: number;
  frame: CapRef;
}

/** Binds a server that records what arrives, and a client; `pair` makes the two ends. */
function bindBoth(pair: () => [unknown, unknown], viaChannel: boolean) {
  const got: Record<string, unknown[]> = {};
  const arrived: Record<string, () => void> = {};
  const wait = (name: string) =>
    new Promise<void>((resolve) => {
      arrived[name] = resolve;
    });
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      got[name] = args;
      arrived[name]?.();
    };
  const options = {
    rx: { assign_pool: record("assign_pool"), nested: record("nested"), only_caps: record("only_caps") },
    rpc: {
      // Hands back the pool with its own frame swapped for another: the reply's cap travels too.
      lend: (p: Pool) => ({ back: { ...p, id: p.id + 1, frame: lentFrame }, err: 0 }),
    },
  };
  const [a, b] = pair();
  const server = viaChannel ? Cls.bindChannel(b, options) : Cls.bind(b, options);
  const client = viaChannel ? Cls.bindChannel(a) : Cls.bind(a);
  return { got, wait, server, client };
}

const lentFrame = cap("lent frame");

async function exercise(
  client: GeneratedBinding,
  got: Record<string, unknown[]>,
  wait: (n: string) => Promise<void>,
) {
  const frame = cap("frame");
  const pool: Pool = { id: 7, trust: "HALF", buffer_size: 4096, frame };
  let arrived = wait("assign_pool");
  await within(client.tx.assign_pool?.(pool, 99n) ?? Promise.reject(new Error("no tx")), "assign_pool");
  await within(arrived, "assign_pool arrives");
  const [gotPool, id] = got.assign_pool ?? [];
  expect(id).toBe(99n);
  expect(gotPool).toEqual(pool);
  expect((gotPool as Pool).frame).toBe(frame);

  const [first, inner, spare, last] = [cap("first"), cap("inner frame"), cap("spare"), cap("last")];
  const pp = { pool: { id: 1, trust: "FULL", buffer_size: 2, frame: inner }, spare, active: true };
  arrived = wait("nested");
  await within(
    client.tx.nested?.(first, pp, "label €", last) ?? Promise.reject(new Error("no tx")),
    "nested",
  );
  await within(arrived, "nested arrives");
  const [g0, g1, g2, g3] = got.nested ?? [];
  expect(g0).toBe(first);
  expect(g3).toBe(last);
  expect(g2).toBe("label €");
  const gotPp = g1 as typeof pp;
  expect(gotPp).toEqual(pp);
  expect(gotPp.pool.frame).toBe(inner);
  expect(gotPp.spare).toBe(spare);

  const only = cap("only");
  arrived = wait("only_caps");
  await within(client.tx.only_caps?.({ only }) ?? Promise.reject(new Error("no tx")), "only_caps");
  await within(arrived, "only_caps arrives");
  expect((got.only_caps?.[0] as { only: CapRef } | undefined)?.only).toBe(only);

  const result = (await within(client.rpc.lend?.(pool) ?? Promise.reject(new Error("no rpc")), "lend")) as {
    back: Pool;
    err: number;
  };
  expect(result).toEqual({ back: { ...pool, id: 8, frame: lentFrame }, err: 0 });
  expect(result.back.frame).toBe(lentFrame);
}

describe.each(["urpc", "lrpc", "port"] as const)(
  "caps in structs over the loopback channel (%s)",
  (transport) => {
    it("arrive in their fields, in order, as the references sent", async () => {
      const { client, got, wait } = bindBoth(() => loopbackPair(transport), true);
      await exercise(client, got, wait);
      await client.close();
    });
  },
);

describe.each(["urpc", "lrpc"] as const)("caps in structs over connectPair (%s)", (transport: Transport) => {
  it("arrive in their fields, in order, as the references sent", async () => {
    const { client, server, got, wait } = bindBoth(() => connectPair(transport), false);
    try {
      await exercise(client, got, wait);
    } finally {
      await within(client.close(), "close");
      await within(server.close(), "close");
    }
  });
});

describe("caps in structs over connectPair (port)", () => {
  it("are refused with CAP_TRANSFER, as cap arguments are", async () => {
    const { client, server } = bindBoth(() => connectPair("port"), false);
    try {
      const frame = cap("frame");
      const e = await within(
        (
          client.tx.assign_pool?.({ id: 1, trust: "NONE", buffer_size: 0, frame }, 1n) ?? Promise.resolve()
        ).then(
          () => undefined,
          (err: unknown) => err,
        ),
        "assign_pool",
      );
      expect(isShoalError(e) ? e.code : e).toBe("CAP_TRANSFER");
    } finally {
      await within(client.close(), "close");
      await within(server.close(), "close");
    }
  });
});
