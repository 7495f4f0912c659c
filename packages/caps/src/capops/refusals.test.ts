/**
 * One deterministic unit test per refusal code of the distributed operations (the property tests
 * accept these codes among others; here each is produced on purpose and the winner is checked).
 */
import { describe, expect, it } from "vitest";
import { checkAgreement, checkNoOverlap, checkQuiescent } from "./sim/invariants.js";
import { type Enumerable, makeWorld, type StoreKind, spreadRoot, type World } from "./sim/world.js";
import type { OpId } from "./types.js";

function healthy(world: World<Enumerable>): string[] {
  return [
    ...checkQuiescent(world.sim),
    ...checkAgreement(world.sim, world.model),
    ...checkNoOverlap(world.sim, world.model),
  ];
}

describe.each(["kernel", "reference"] as StoreKind[])("refusals (%s stores)", (kind) => {
  it("CAP_IN_DELETE: a copy of an object whose ownership is moving is refused; the move completes", () => {
    const w = makeWorld(kind, { cores: 3, seed: 21 });
    spreadRoot(w, [1, 2]);
    // The owner deletes its last local copy: ownership moves, the copy stays locked until it has.
    const del = w.sim.start(0, (c) => c.delete(w.rootSlot));
    const copy = w.sim.start(0, (c) => c.copy(w.rootSlot, 1));
    w.sim.run();
    expect(w.sim.outcomes.get(copy)?.outcome).toMatchObject({ ok: false, code: "CAP_IN_DELETE" });
    expect(w.sim.outcomes.get(del)?.outcome.ok).toBe(true);
    expect(w.sim.stores[0]?.copies(w.root)).toHaveLength(0);
    expect(healthy(w)).toEqual([]);
  });

  it("CAP_IN_REVOKE: a copy on the revoking core and one on a marked core are refused; the revoke wins", () => {
    const w = makeWorld(kind, { cores: 3, seed: 22 });
    const slots = spreadRoot(w, [1, 2]);
    const revoke = w.sim.start(0, (c) => c.revoke(w.rootSlot));
    // On the invoker, at once: the object is locked by the revoke.
    const local = w.sim.start(0, (c) => c.copy(w.rootSlot, 2));
    expect(w.sim.outcomes.get(local)?.outcome).toMatchObject({ ok: false, code: "CAP_IN_REVOKE" });
    // On core 1, once its mark has arrived (deliver until core 1 has answered revoke_ready).
    let remote: OpId | undefined;
    const quiet = w.sim.run(10_000, () => {
      const marked = (w.sim.coordinators[1]?.env.marks.size ?? 0) > 0;
      if (remote === undefined && marked) remote = w.sim.start(1, (c) => c.copy(slots.get(1) ?? -1, 2));
    });
    expect(quiet).toBe(true);
    expect(remote).toBeDefined();
    expect((remote === undefined ? undefined : w.sim.outcomes.get(remote))?.outcome).toMatchObject({
      ok: false,
      code: "CAP_IN_REVOKE",
    });
    expect(w.sim.outcomes.get(revoke)?.outcome.ok).toBe(true);
    expect(w.sim.stores.map((s) => s.all().length)).toEqual([1, 0, 0]);
    expect(healthy(w)).toEqual([]);
  });

  it("CAP_LOCKED: a second retype of an object while the owner checks the first is refused", () => {
    const w = makeWorld(kind, { cores: 3, seed: 23 });
    const slots = spreadRoot(w, [1, 2]);
    const first = w.sim.start(0, (c) =>
      c.retype(w.rootSlot, { to: "Frame", offset: 0, objectSize: 4096, count: 1 }),
    );
    const second = w.sim.start(0, (c) =>
      c.retype(w.rootSlot, { to: "Frame", offset: 8192, objectSize: 4096, count: 1 }),
    );
    w.sim.run();
    expect(w.sim.outcomes.get(first)?.outcome.ok).toBe(true);
    expect(w.sim.outcomes.get(second)?.outcome).toMatchObject({ ok: false, code: "CAP_LOCKED" });
    expect(slots.size).toBe(3);
    expect(healthy(w)).toEqual([]);
  });
});
