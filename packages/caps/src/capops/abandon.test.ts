import { describe, expect, it } from "vitest";
import { makeWorld, spreadRoot } from "./sim/world.js";

describe("a core that dies mid-protocol (CapCoordinator.abandon)", () => {
  it("a revoke waiting for the dead core fails PEER_DIED; the live cores keep no mark", () => {
    const w = makeWorld("kernel", { cores: 3, seed: 11 });
    spreadRoot(w, [1, 2]);
    const owner = w.sim.coordinators[0];
    const op = w.sim.start(0, (c) => c.revoke(w.rootSlot));
    // Core 2 "dies" before answering: its marks and answers never count.
    const outcomes = owner?.abandon(2) ?? [];
    expect(outcomes).toEqual([{ op, kind: "revoke", ok: false, code: "PEER_DIED" }]);
    expect(w.sim.outcomes.get(op)?.outcome).toMatchObject({ ok: false, code: "PEER_DIED" });
    w.sim.run();
    expect(owner?.inProgress()).toEqual([]);
    expect(owner?.env.locks.size).toBe(0);
    // Core 1 was told to sweep: no mark left, and its copy is gone.
    expect(w.sim.coordinators[1]?.inProgress()).toEqual([]);
    expect(w.sim.coordinators[1]?.env.marks.size).toBe(0);
    expect(w.sim.stores[1]?.copies(w.root)).toEqual([]);
    // The object is free for the next operation on the owner.
    const again = w.sim.start(0, (c) => c.copy(w.rootSlot, 1));
    w.sim.run();
    expect(w.sim.outcomes.get(again)?.outcome.ok).toBe(true);
  });

  it("a delete still finding holders fails PEER_DIED and unlocks the object", () => {
    const w = makeWorld("kernel", { cores: 3, seed: 12 });
    spreadRoot(w, [1, 2]);
    const op = w.sim.start(0, (c) => c.delete(w.rootSlot));
    const [failed] = w.sim.coordinators[0]?.abandon(1) ?? [];
    expect(failed).toMatchObject({ op, kind: "delete", ok: false, code: "PEER_DIED" });
    w.sim.run();
    expect(w.sim.coordinators[0]?.env.locks.size).toBe(0);
    // Nothing was deleted: core 0 still holds its copy, cores 1 and 2 theirs.
    expect(w.sim.stores[0]?.copies(w.root)).toHaveLength(1);
    expect(w.sim.stores[2]?.copies(w.root)).toHaveLength(1);
  });
});
