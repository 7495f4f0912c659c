// The protocol engine over an in-memory transport (a FIFO queue per core, delivered in random order
// across cores): every core invalidates before the root's callback runs, over stars and two-level
// trees; a core that dies fails the round at the root with PEER_DIED.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isShootdownError } from "../errors.js";
import { RouteTable, type RouteTree, starTree } from "../routes/tree.js";
import { ShootdownCore } from "./core.js";
import type { CoreEnv } from "./env.js";
import type { Wire } from "./messages.js";

interface Net {
  readonly cores: ShootdownCore[];
  readonly invalidated: number[][];
  /** Delivers queued messages, picking the next sender with `pick`, until none is left. */
  drain(pick: (n: number) => number, skip?: number): void;
}

function net(n: number, routes: RouteTable): Net {
  const queues: { from: number; to: number; msg: Wire }[] = [];
  const invalidated: number[][] = Array.from({ length: n }, () => []);
  const cores = Array.from({ length: n }, (_, core) => {
    const env: CoreEnv = {
      core,
      send: (to, msg) => queues.push({ from: core, to, msg }),
      publish: (to, msg) => {
        for (const t of to) queues.push({ from: core, to: t, msg });
      },
      now: () => 0,
      setTimer: () => ({ cancel() {} }),
    };
    return new ShootdownCore(env, routes, { invalidate: (r) => invalidated[core]?.push(r.base) });
  });
  return {
    cores,
    invalidated,
    drain(pick, skip) {
      while (queues.length > 0) {
        const [q] = queues.splice(pick(queues.length), 1);
        if (q === undefined || q.to === skip) continue;
        cores[q.to]?.node.receive(q.from, q.msg);
      }
    },
  };
}

function twoLevel(root: number, n: number): RouteTree {
  // Aggregators 0 and 4 for cores 0-3 and 4-7 (the root's own group is a star from it).
  const group = (a: number) => Array.from({ length: 4 }, (_, i) => a + i).filter((c) => c < n);
  const mine = root < 4 ? 0 : 4;
  const other = mine === 0 ? 4 : 0;
  const kids: RouteTree[] = [];
  const og = group(other);
  if (og.length > 0)
    kids.push({ core: og[0] as number, children: og.slice(1).map((core) => ({ core, children: [] })) });
  for (const c of group(mine)) if (c !== root) kids.push({ core: c, children: [] });
  return { core: root, children: kids };
}

describe("ShootdownCore over an in-memory transport", () => {
  it("completes only after every core invalidated (stars and trees, any delivery order)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.boolean(),
        fc.nat(),
        fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        (n, tree, rootSeed, order) => {
          const all = Array.from({ length: n }, (_, i) => i);
          const trees = new Map(all.map((r) => [r, tree ? twoLevel(r, n) : starTree(r, all)]));
          const routes = new RouteTable(tree ? "multicast" : "unicast", all, trees);
          const w = net(n, routes);
          const root = rootSeed % n;
          let done = false;
          let i = 0;
          w.cores[root]?.shootdown({ base: 0x1000, pages: 1 }, (e) => {
            expect(e).toBeUndefined();
            expect(w.invalidated.every((x) => x.length === 1)).toBe(true);
            done = true;
          });
          w.drain((len) => (order[i++ % order.length] as number) % len);
          expect(done).toBe(true);
        },
      ),
    );
  });

  it("fails with PEER_DIED naming the core when a target dies mid-round", () => {
    const all = [0, 1, 2, 3];
    const routes = new RouteTable("unicast", all, new Map(all.map((r) => [r, starTree(r, all)])));
    const w = net(4, routes);
    let err: unknown;
    w.cores[0]?.shootdown({ base: 0, pages: 1 }, (e) => {
      err = e;
    });
    w.drain(() => 0, 2);
    expect(err).toBeUndefined();
    w.cores[0]?.node.peerDied(2);
    expect(isShootdownError(err, "PEER_DIED")).toBe(true);
    expect((err as { core: number }).core).toBe(2);
  });
});
