import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ErrorCode } from "./protocol.js";
import {
  checkAgreement,
  checkNoOverlap,
  checkQuiescent,
  checkRevoked,
  checkRights,
} from "./sim/invariants.js";
import { runs } from "./sim/runs.js";
import { type Enumerable, makeWorld, type StoreKind, spreadRoot, type World } from "./sim/world.js";
import type { CapRep, CoreId, OpId } from "./types.js";

/** Refusals the protocols may answer with in these scenarios; anything else is a bug. */
const REFUSALS = new Set<ErrorCode>([
  "CAP_NOT_FOUND",
  "CAP_LOCKED",
  "CAP_IN_DELETE",
  "CAP_IN_REVOKE",
  "RETYPE_OVERLAP",
  "REVOKE_FIRST",
  "RETYPE_INVALID",
  "INVALID_ARGUMENT",
  "INVALID_SIZE",
  "OUT_OF_RANGE",
]);

const opArb = fc.record({
  core: fc.nat(7),
  kind: fc.constantFrom("copy", "retype", "retype", "delete", "revoke"),
  pick: fc.nat(64),
  dest: fc.nat(7),
  to: fc.constantFrom("Frame", "RAM", "CNode"),
  offsetPages: fc.nat(15),
  sizePages: fc.constantFrom(1, 2, 4),
  count: fc.integer({ min: 1, max: 2 }),
  at: fc.nat(40),
});
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

/** Watches revokes: right when one succeeds, nothing of its object may be left anywhere else. */
function watchRevokes(world: World<Enumerable>, violations: string[]) {
  const targets = new Map<OpId, { cap: CapRep; core: CoreId }>();
  world.sim.onOutcome = (o) => {
    const t = targets.get(o.outcome.op);
    if (!t || !o.outcome.ok) return;
    const kept = o.outcome.slots[0] ?? -1;
    violations.push(...checkRevoked(world.sim, world.model, t.cap, t.core, kept));
  };
  return targets;
}

function globalViolations(world: World<Enumerable>): string[] {
  return [
    ...checkQuiescent(world.sim),
    ...checkAgreement(world.sim, world.model),
    ...checkNoOverlap(world.sim, world.model),
    ...checkRights(world.sim, world.model, world.created),
  ];
}

function startOp(
  world: World<Enumerable>,
  n: number,
  op: Op,
  targets: Map<OpId, { cap: CapRep; core: CoreId }>,
) {
  const core = op.core % n;
  const held = world.sim.stores[core]?.all() ?? [];
  const h = held[op.pick % Math.max(1, held.length)];
  const slot = h?.slot ?? 999;
  return world.sim.start(core, (c) => {
    switch (op.kind) {
      case "copy":
        return c.copy(slot, op.dest % n);
      case "retype":
        return c.retype(slot, {
          to: op.to,
          offset: op.offsetPages * 4096,
          objectSize: op.sizePages * 4096,
          count: op.count,
        });
      case "delete":
        return c.delete(slot);
      default: {
        const id = c.revoke(slot);
        if (h) targets.set(id, { cap: h.rep, core });
        return id;
      }
    }
  });
}

describe.each([
  ["kernel", 1],
  ["reference", 0.1],
] as [StoreKind, number][])("distributed operations under random schedules (%s stores)", (kind, share) => {
  it("random mixes of copy, retype, delete and revoke on 2-8 cores keep every invariant", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer(),
        fc.nat(255),
        fc.constantFrom(0, 0, 3),
        fc.array(opArb, { minLength: 1, maxLength: 10 }),
        (n, seed, holders, maxDelay, ops) => {
          const world = makeWorld(kind, { cores: n, seed, maxDelay, recycle: true });
          spreadRoot(
            world,
            Array.from({ length: n }, (_, c) => c).filter((c) => (holders >> c) & 1),
          );
          const violations: string[] = [];
          const targets = watchRevokes(world, violations);
          const started: OpId[] = [];
          const pending = [...ops].sort((a, b) => a.at - b.at);
          while (pending.length > 0) {
            const quiet = world.sim.run(20_000, (step) => {
              while (pending[0] && pending[0].at <= step)
                started.push(startOp(world, n, pending.shift() as Op, targets));
            });
            expect(quiet, "livelock: messages kept flowing").toBe(true);
            if (pending[0]) started.push(startOp(world, n, pending.shift() as Op, targets));
          }
          expect(world.sim.run(20_000), "livelock: messages kept flowing").toBe(true);
          for (const op of started) {
            const o = world.sim.outcomes.get(op)?.outcome;
            expect(o, `operation ${op} never finished`).toBeDefined();
            if (o && !o.ok) expect(REFUSALS.has(o.code), `unexpected refusal ${o.code}`).toBe(true);
          }
          expect([...violations, ...globalViolations(world)]).toEqual([]);
        },
      ),
      { numRuns: runs(6000 * share) },
    );
  });

  it("concurrent retypes of one region from different cores: exactly one wins, the others are refused", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer(),
        fc.constantFrom(0, 3),
        fc.array(fc.record({ core: fc.nat(7), to: fc.constantFrom("Frame", "CNode", "RAM") }), {
          minLength: 2,
          maxLength: 6,
        }),
        (n, seed, maxDelay, contenders) => {
          const world = makeWorld(kind, { cores: n, seed, maxDelay, recycle: true });
          const slots = spreadRoot(
            world,
            Array.from({ length: n }, (_, c) => c),
          );
          const ops = contenders.map((k) => {
            const core = k.core % n;
            // Every region starts at offset 0: all of them overlap.
            return world.sim.start(core, (c) =>
              c.retype(slots.get(core) ?? -1, { to: k.to, offset: 0, objectSize: 16384, count: 1 }),
            );
          });
          expect(world.sim.run(20_000)).toBe(true);
          const outcomes = ops.map((op) => world.sim.outcomes.get(op)?.outcome);
          expect(outcomes.filter((o) => o?.ok)).toHaveLength(1);
          for (const o of outcomes)
            if (o && !o.ok) expect(["CAP_LOCKED", "RETYPE_OVERLAP", "REVOKE_FIRST"]).toContain(o.code);
          expect(globalViolations(world)).toEqual([]);
        },
      ),
      { numRuns: runs(2000 * share) },
    );
  });

  it("concurrent revokes and retypes of one object from different cores: one revoke wins and leaves nothing else", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer(),
        fc.constantFrom(0, 3),
        fc.array(fc.record({ core: fc.nat(7), revoke: fc.boolean(), page: fc.nat(15) }), {
          minLength: 2,
          maxLength: 8,
        }),
        (n, seed, maxDelay, contenders) => {
          const world = makeWorld(kind, { cores: n, seed, maxDelay, recycle: true });
          const slots = spreadRoot(
            world,
            Array.from({ length: n }, (_, c) => c),
          );
          const violations: string[] = [];
          const targets = watchRevokes(world, violations);
          const revokes: OpId[] = [];
          const used = new Set<CoreId>();
          for (const k of contenders) {
            const core = k.core % n;
            const slot = slots.get(core) ?? -1;
            if (k.revoke && !used.has(core)) {
              used.add(core);
              const op = world.sim.start(core, (c) => c.revoke(slot));
              targets.set(op, { cap: world.root, core });
              revokes.push(op);
            } else {
              world.sim.start(core, (c) =>
                c.retype(slot, { to: "Frame", offset: k.page * 4096, objectSize: 4096, count: 1 }),
              );
            }
          }
          expect(world.sim.run(20_000)).toBe(true);
          const won = revokes.filter((op) => world.sim.outcomes.get(op)?.outcome.ok);
          // Revokes conflict with each other (one wins) and with retypes being checked (the retype
          // wins, the revoke is refused CAP_LOCKED): without a revoke winner, a retype won.
          const codes = revokes
            .map((op) => world.sim.outcomes.get(op)?.outcome)
            .flatMap((o) => (o && !o.ok ? [o.code] : []));
          expect(won.length).toBeLessThanOrEqual(1);
          if (revokes.length > 0 && won.length === 0) expect(codes).toContain("CAP_LOCKED");
          for (const code of codes) expect(["CAP_IN_REVOKE", "CAP_LOCKED", "CAP_NOT_FOUND"]).toContain(code);
          expect(won.length + codes.length).toBe(revokes.length);
          expect([...violations, ...globalViolations(world)]).toEqual([]);
        },
      ),
      { numRuns: runs(2000 * share) },
    );
  });
  it("a revoke racing copies of the object and of its descendants leaves nothing behind", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer(),
        fc.constantFrom(0, 3),
        fc.nat(7),
        fc.nat(30),
        fc.array(fc.record({ core: fc.nat(7), pick: fc.nat(31), dest: fc.nat(7), at: fc.nat(30) }), {
          minLength: 1,
          maxLength: 12,
        }),
        (n, seed, maxDelay, revoker, revokeAt, copies) => {
          const world = makeWorld(kind, { cores: n, seed, maxDelay, recycle: true });
          const slots = spreadRoot(
            world,
            Array.from({ length: n }, (_, c) => c),
          );
          // Descendants on every core: one Frame per core, each in its own page.
          for (let c = 0; c < n; c++) {
            world.sim.start(c, (k) =>
              k.retype(slots.get(c) ?? -1, { to: "Frame", offset: c * 4096, objectSize: 4096, count: 1 }),
            );
            world.sim.run();
          }
          const violations: string[] = [];
          const targets = watchRevokes(world, violations);
          const core = revoker % n;
          const pending = [...copies].sort((a, b) => a.at - b.at);
          let revoke: OpId | undefined;
          const quiet = world.sim.run(20_000, (step) => {
            if (step === revokeAt && revoke === undefined) {
              revoke = world.sim.start(core, (k) => k.revoke(slots.get(core) ?? -1));
              targets.set(revoke, { cap: world.root, core });
            }
            while (pending[0] && pending[0].at <= step) {
              const c = pending.shift() as (typeof copies)[number];
              const from = c.core % n;
              const held = world.sim.stores[from]?.all() ?? [];
              const h = held[c.pick % Math.max(1, held.length)];
              if (h) world.sim.start(from, (k) => k.copy(h.slot, c.dest % n));
            }
          });
          expect(quiet).toBe(true);
          if (revoke === undefined) return;
          expect(world.sim.outcomes.get(revoke)?.outcome.ok).toBe(true);
          expect([...violations, ...globalViolations(world)]).toEqual([]);
        },
      ),
      { numRuns: runs(2000 * share) },
    );
  });
  it("successive ownership moves, with copies requested from stale owners meanwhile, leave every core agreeing", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }),
        fc.integer(),
        fc.constantFrom(0, 3),
        fc.array(fc.record({ core: fc.nat(7), copy: fc.boolean(), dest: fc.nat(7), at: fc.nat(40) }), {
          minLength: 2,
          maxLength: 12,
        }),
        (n, seed, maxDelay, ops) => {
          const world = makeWorld(kind, { cores: n, seed, maxDelay, recycle: true });
          spreadRoot(
            world,
            Array.from({ length: n }, (_, c) => c),
          );
          const pending = [...ops].sort((a, b) => a.at - b.at);
          const started: OpId[] = [];
          const quiet = world.sim.run(20_000, (step) => {
            while (pending[0] && pending[0].at <= step) {
              const o = pending.shift() as (typeof ops)[number];
              const core = o.core % n;
              const held = world.sim.stores[core]?.copies(world.root)[0];
              if (!held) continue;
              started.push(
                world.sim.start(core, (k) => (o.copy ? k.copy(held.slot, o.dest % n) : k.delete(held.slot))),
              );
            }
          });
          expect(quiet).toBe(true);
          for (const op of started)
            expect(world.sim.outcomes.get(op), `operation ${op} never finished`).toBeDefined();
          expect(globalViolations(world)).toEqual([]);
        },
      ),
      { numRuns: runs(2000 * share) },
    );
  });
});
