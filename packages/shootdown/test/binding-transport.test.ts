import type { AgreementResource, ProtocolName } from "@shoal/agreement";
import { ShootdownCore } from "@shoal/agreement";
import { connectPair } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import { BindingTransport, shootdownRx } from "../src/booted/transport.js";
import { isShootdownError } from "../src/errors.js";
import { Shootdown, type ShootdownTx } from "../src/gen/shootdown.js";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { amd8x4, firstCores } from "./skb-fixture.js";

/**
 * The booted cores' transport without booting: N transports in this thread, one shootdown.if binding
 * per ordered pair over lrpc (the same generated stubs the domains use), each send counted by kind.
 */
async function cluster(
  protocol: ProtocolName,
  n: number,
  resources: Map<number, AgreementResource> = new Map(),
) {
  const routes = routesFromSkb(await amd8x4(), protocol, firstCores(n));
  const transports = firstCores(n).map((c) => new BindingTransport(c));
  const sent = new Map<string, number>();
  const invalidated = new Map<number, number>();
  const bindings: Shootdown[] = [];
  const cores = transports.map((t) => {
    const resource = resources.get(t.core);
    const core = new ShootdownCore(
      t.env(),
      routes,
      {
        invalidate: () => invalidated.set(t.core, (invalidated.get(t.core) ?? 0) + 1),
        ...(resource === undefined ? {} : { resource }),
      },
      { timeoutNs: 5e9 },
    );
    t.onReceive((from, msg) => core.node.receive(from, msg));
    return core;
  });
  for (const from of transports) {
    for (const to of transports) {
      if (from === to) continue;
      const [client, server] = connectPair("lrpc");
      bindings.push(Shootdown.bind(server, { rx: shootdownRx(to) }));
      const b = Shootdown.bind(client);
      bindings.push(b);
      // Counts each send by message kind, then hands it to the real binding.
      const tx = new Proxy(b.tx, {
        get(target, key: keyof ShootdownTx) {
          sent.set(String(key), (sent.get(String(key)) ?? 0) + 1);
          return target[key];
        },
      });
      from.addPeer(to.core, {
        tx,
        get closed() {
          return b.closed;
        },
      });
    }
  }
  const close = () => Promise.all(bindings.map((b) => b.close().catch(() => {})));
  return { routes, transports, cores, sent, invalidated, close };
}

describe("the booted cores' transport (shootdown.if bindings, in one thread)", () => {
  it("carries a NUMA-aware multicast shootdown to every core, acked once per core, as invalidate/ack", async () => {
    const c = await cluster("numa_multicast", 8);
    try {
      await c.cores[3]?.shootdownAsync({ base: 0x1000_0000, pages: 2 });
      expect([...c.invalidated.entries()].sort((a, b) => a[0] - b[0])).toEqual(
        firstCores(8).map((k) => [k, 1]),
      );
      expect(c.sent.get("invalidate")).toBe(7);
      expect(c.sent.get("ack")).toBe(7);
      expect(c.sent.get("vote")).toBeUndefined();
      for (const t of c.transports) {
        expect([...t.stats.upsByRound.values()]).toEqual(t.core === 3 ? [] : [1]);
      }
    } finally {
      await c.close();
    }
  });

  it("emulates broadcast by one message per receiver", async () => {
    const c = await cluster("broadcast", 4);
    try {
      await c.cores[0]?.shootdownAsync({ base: 0x2000, pages: 1 });
      expect(c.sent.get("invalidate")).toBe(3);
      expect(c.invalidated.size).toBe(4);
    } finally {
      await c.close();
    }
  });

  it("carries 2PC as prepare/vote then abort, and a refusal's core and reason through the vote", async () => {
    const refuse: AgreementResource = {
      check: (txn) => ({ reason: "IN_USE", message: `${txn.key} is mapped` }),
      apply: () => {},
    };
    const c = await cluster("multicast", 6, new Map([[5, refuse]]));
    try {
      const err = await c.cores[0]
        ?.proposeAsync({ key: "ram:0x8000", action: "retype:Frame", stamp: 1, core: 0 })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isShootdownError(err, "REFUSED")).toBe(true);
      if (isShootdownError(err)) {
        expect(err.core).toBe(5);
        expect(err.reason).toBe("IN_USE");
        expect(err.message).toContain("ram:0x8000 is mapped");
      }
      expect(c.sent.get("prepare")).toBe(5);
      expect(c.sent.get("abort")).toBe(5);
      expect(c.sent.get("commit")).toBeUndefined();
      expect(c.sent.get("vote")).toBe(10);
      expect(c.sent.get("ack")).toBeUndefined();
    } finally {
      await c.close();
    }
  });

  it("a peer whose binding is gone: the send is dropped and counted, and the round fails PEER_DIED once told", async () => {
    const c = await cluster("unicast", 3);
    try {
      const all = c.cores;
      // Every channel closes (as the monitors fail the channels of a core that died).
      await c.close();
      const p = all[0]?.shootdownAsync({ base: 0x3000, pages: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      all[0]?.node.peerDied(2);
      const err = await p;
      expect(isShootdownError(err, "PEER_DIED")).toBe(true);
      if (isShootdownError(err)) expect(err.core).toBe(2);
      expect(c.transports[0]?.stats.sendFailures).toBe(2);
      expect(c.invalidated.get(1)).toBeUndefined();
    } finally {
      await c.close();
    }
  });
});
