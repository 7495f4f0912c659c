import { describe, expect, it } from "vitest";
import { KernelStore } from "./local-store.js";
import {
  checkAgreement,
  checkNoOverlap,
  checkQuiescent,
  checkRevoked,
  checkRights,
} from "./sim/invariants.js";
import {
  type Enumerable,
  makeWorld,
  type StoreKind,
  spreadRoot,
  type World,
  type WorldOptions,
} from "./sim/world.js";
import { Rel } from "./types.js";

function healthy(world: World<Enumerable>): string[] {
  return [
    ...checkQuiescent(world.sim),
    ...checkAgreement(world.sim, world.model),
    ...checkNoOverlap(world.sim, world.model),
    ...checkRights(world.sim, world.model, world.created),
  ];
}

describe.each(["kernel", "reference"] as StoreKind[])("%s stores", (kind) => {
  const world = (options: WorldOptions) => makeWorld(kind, options);

  it("give every core its own store of that kind", () => {
    const w = world({ cores: 2, seed: 0 });
    expect(w.sim.stores[0] instanceof KernelStore).toBe(kind === "kernel");
    expect(w.sim.stores[0]).not.toBe(w.sim.stores[1]);
  });

  describe("cross-core copy", () => {
    it("the owner delivers; both cores then hold the object, the owner's copies say so", () => {
      const w = world({ cores: 3, seed: 1 });
      const slots = spreadRoot(w, [1]);
      expect(w.sim.stores[1]?.lookup(slots.get(1) ?? -1)?.owner).toBe(0);
      expect((w.sim.stores[0]?.lookup(w.rootSlot)?.relations ?? 0) & Rel.Copies).toBe(Rel.Copies);
      expect(w.sim.messages.get([...w.sim.outcomes.keys()][0] ?? "0:0")).toBe(2);
      expect(healthy(w)).toEqual([]);
    });

    it("a non-owner's copy goes through the owner (four messages, two rounds)", () => {
      const w = world({ cores: 3, seed: 2 });
      const slots = spreadRoot(w, [1]);
      const op = w.sim.start(1, (c) => c.copy(slots.get(1) ?? -1, 2));
      w.sim.run();
      const seen = w.sim.outcomes.get(op);
      expect(seen?.outcome.ok).toBe(true);
      expect(w.sim.messages.get(op)).toBe(4);
      expect(seen?.hops).toBe(4);
      expect(w.sim.stores[2]?.copies(w.root)[0]?.owner).toBe(0);
      expect(healthy(w)).toEqual([]);
    });

    it("refuses a type that may not leave its core, and an empty slot", () => {
      const w = world({ cores: 2, seed: 3 });
      const r = w.sim.stores[0]?.insert(
        { type: "Frame_Mapping", base: 0, size: 1, rights: 1, badge: 0 },
        0,
        0,
      );
      const slot = r?.ok ? r.value : -1;
      const a = w.sim.start(0, (c) => c.copy(slot, 1));
      const b = w.sim.start(0, (c) => c.copy(999, 1));
      expect(w.sim.outcomes.get(a)?.outcome).toMatchObject({ ok: false, code: "CAP_NOT_SENDABLE" });
      expect(w.sim.outcomes.get(b)?.outcome).toMatchObject({ ok: false, code: "CAP_NOT_FOUND" });
    });
  });

  describe("retype with remote copies", () => {
    it("the owner checks every core; the requester creates the objects", () => {
      const w = world({ cores: 4, seed: 4 });
      const slots = spreadRoot(w, [1, 2, 3]);
      const op = w.sim.start(2, (c) =>
        c.retype(slots.get(2) ?? -1, { to: "Frame", offset: 0, objectSize: 4096, count: 2 }),
      );
      w.sim.run();
      const seen = w.sim.outcomes.get(op);
      expect(seen?.outcome).toMatchObject({ ok: true });
      expect(w.sim.messages.get(op)).toBe(2 + 2 * 3);
      expect(seen?.hops).toBe(4);
      expect(w.sim.stores[2]?.descendants(w.root)).toHaveLength(2);
      expect(healthy(w)).toEqual([]);
    });

    it("a retype over the region another core already retyped is refused", () => {
      const w = world({ cores: 3, seed: 5 });
      const slots = spreadRoot(w, [1, 2]);
      const first = w.sim.start(1, (c) =>
        c.retype(slots.get(1) ?? -1, { to: "Frame", offset: 0, objectSize: 8192, count: 1 }),
      );
      w.sim.run();
      const second = w.sim.start(2, (c) =>
        c.retype(slots.get(2) ?? -1, { to: "CNode", offset: 4096, objectSize: 16384, count: 1 }),
      );
      w.sim.run();
      expect(w.sim.outcomes.get(first)?.outcome.ok).toBe(true);
      expect(w.sim.outcomes.get(second)?.outcome).toMatchObject({ ok: false, code: "RETYPE_OVERLAP" });
      expect(healthy(w)).toEqual([]);
    });
    it("a remote object covering the whole region answers REVOKE_FIRST, as the local check does", () => {
      const w = world({ cores: 3, seed: 10 });
      const slots = spreadRoot(w, [1, 2]);
      const first = w.sim.start(1, (c) =>
        c.retype(slots.get(1) ?? -1, { to: "Frame", offset: 0, objectSize: 16384, count: 1 }),
      );
      w.sim.run();
      const second = w.sim.start(2, (c) =>
        c.retype(slots.get(2) ?? -1, { to: "Frame", offset: 4096, objectSize: 4096, count: 1 }),
      );
      w.sim.run();
      expect(w.sim.outcomes.get(first)?.outcome.ok).toBe(true);
      expect(w.sim.outcomes.get(second)?.outcome).toMatchObject({ ok: false, code: "REVOKE_FIRST" });
    });
  });

  describe("the coordinator and peer input", () => {
    it("drops replies for unknown operations, unknown kinds and messages claiming to come from itself", () => {
      const w = world({ cores: 2, seed: 11 });
      const c = w.sim.coordinators[0];
      if (!c) throw new Error("no core 0");
      c.receive(1, { kind: "copy_result", op: "1:99", error: null, slot: 3 });
      c.receive(1, { kind: "revoke_done", op: "0:42" });
      c.receive(1, JSON.parse('{"kind":"launch_missiles","op":"1:1"}'));
      c.receive(0, { kind: "revoke_commit", op: "1:1" });
      c.receive(7, { kind: "move_find", op: "7:1", cap: w.root });
      expect(c.stats.dropped).toBe(5);
      expect(w.sim.inFlight()).toHaveLength(0);
      expect(c.inProgress()).toHaveLength(0);
      expect(healthy(w)).toEqual([]);
    });

    it("reports operations that have waited long, by the clock it is given", () => {
      const w = world({ cores: 3, seed: 13, maxDelay: 10 });
      const slots = spreadRoot(w, [1, 2]);
      const op = w.sim.start(0, (c) => c.revoke(w.rootSlot));
      expect(w.sim.coordinators[0]?.stalled(0).map((s) => s.state.op)).toEqual([op]);
      expect(w.sim.coordinators[0]?.stalled(1)).toEqual([]);
      w.sim.run();
      expect(w.sim.coordinators[0]?.stalled(0)).toEqual([]);
      expect(slots.size).toBe(3);
    });

    it("answers a request for an object it does not own with not_owner, and the requester waits", () => {
      const w = world({ cores: 3, seed: 12 });
      const slots = spreadRoot(w, [1, 2]);
      // Core 1 believes core 2 owns the root: its request is answered not_owner and parked.
      w.sim.stores[1]?.setOwner(w.root, 2);
      const op = w.sim.start(1, (c) => c.copy(slots.get(1) ?? -1, 2));
      w.sim.run();
      expect(w.sim.outcomes.get(op)).toBeUndefined();
      expect(w.sim.coordinators[1]?.inProgress()).toMatchObject([{ kind: "copy", parked: true }]);
      // Core 0 deletes its copy and ownership moves to core 1: the parked request runs as the owner.
      w.sim.start(0, (c) => c.delete(w.rootSlot));
      w.sim.run();
      expect(w.sim.outcomes.get(op)?.outcome.ok).toBe(true);
      expect(healthy(w)).toEqual([]);
    });
  });

  describe("delete of the last local copy with remote copies", () => {
    it("moves ownership to a holder, which tells every core", () => {
      const w = world({ cores: 4, seed: 6 });
      spreadRoot(w, [2, 3]);
      const op = w.sim.start(0, (c) => c.delete(w.rootSlot));
      w.sim.run();
      expect(w.sim.outcomes.get(op)?.outcome.ok).toBe(true);
      expect(w.sim.stores[0]?.copies(w.root)).toHaveLength(0);
      expect(w.sim.stores[3]?.copies(w.root)[0]?.owner).toBe(2);
      expect(healthy(w)).toEqual([]);
    });

    it("deletes as the last copy when the others went meanwhile", () => {
      const w = world({ cores: 2, seed: 7 });
      const slots = spreadRoot(w, [1]);
      w.sim.start(1, (c) => c.delete(slots.get(1) ?? -1));
      const op = w.sim.start(0, (c) => c.delete(w.rootSlot));
      w.sim.run();
      expect(w.sim.outcomes.get(op)?.outcome.ok).toBe(true);
      expect(w.sim.stores.every((s) => s.all().length === 0)).toBe(true);
      expect(healthy(w)).toEqual([]);
    });
  });

  describe("revoke across cores", () => {
    it("from the owner: mark, sweep, done in 4(N-1) messages and two rounds", () => {
      const w = world({ cores: 5, seed: 8 });
      const slots = spreadRoot(w, [1, 2, 3, 4]);
      w.sim.start(3, (c) =>
        c.retype(slots.get(3) ?? -1, { to: "Frame", offset: 0, objectSize: 4096, count: 4 }),
      );
      w.sim.run();
      const op = w.sim.start(0, (c) => c.revoke(w.rootSlot));
      w.sim.run();
      const seen = w.sim.outcomes.get(op);
      expect(seen?.outcome).toMatchObject({ ok: true, slots: [w.rootSlot] });
      expect(w.sim.messages.get(op)).toBe(16);
      expect(seen?.hops).toBe(4);
      expect(checkRevoked(w.sim, w.model, w.root, 0, w.rootSlot)).toEqual([]);
      expect(w.sim.stores.map((s) => s.all().length)).toEqual([1, 0, 0, 0, 0]);
      expect(healthy(w)).toEqual([]);
    });

    it("from a non-owner: retrieve ownership first, then the same", () => {
      const w = world({ cores: 3, seed: 9 });
      const slots = spreadRoot(w, [1, 2]);
      const op = w.sim.start(2, (c) => c.revoke(slots.get(2) ?? -1));
      w.sim.run();
      expect(w.sim.outcomes.get(op)?.outcome.ok).toBe(true);
      expect(w.sim.outcomes.get(op)?.hops).toBe(6);
      expect(w.sim.stores.map((s) => s.all().length)).toEqual([0, 0, 1]);
      expect(w.sim.stores[2]?.all()[0]?.owner).toBe(2);
      expect(healthy(w)).toEqual([]);
    });
  });
});
