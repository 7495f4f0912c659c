/**
 * The global invariants of the distributed capability system, checked over every core of a
 * simulation: what the single-core invariants become when capabilities live on many cores, plus
 * what the protocols promise (agreement on owners, conservative remote bits, nothing left hanging).
 * Each check returns the violations it found as sentences; an empty list means all hold.
 */
import type { CapStore } from "../store.js";
import { type CapRep, type CoreId, capKey, type HeldCap, overlaps, Rel, sameObject } from "../types.js";
import type { Simulation } from "./simulator.js";

/** What the checker needs to know about capabilities beyond the protocol's types. */
export interface Model {
  /** Every capability a core holds. */
  all(core: CoreId): HeldCap[];
  /** True if `child` is derived from `parent` (not a copy). */
  derives(parent: CapRep, child: CapRep): boolean;
}

interface Placed extends HeldCap {
  readonly core: CoreId;
}

function everything<S extends CapStore>(sim: Simulation<S>, model: Model): Placed[] {
  return sim.stores.flatMap((_, core) => model.all(core).map((h) => ({ ...h, core })));
}

/** Nothing in flight, no operation pending, no lock, mark or delivery left on any core. */
export function checkQuiescent<S extends CapStore>(sim: Simulation<S>): string[] {
  const out: string[] = [];
  if (sim.inFlight().length > 0) out.push(`${sim.inFlight().length} messages still in flight`);
  sim.coordinators.forEach((c, core) => {
    for (const s of c.inProgress()) out.push(`core ${core}: ${s.kind} ${s.op} never finished`);
    const e = c.env;
    if (e.locks.size > 0) out.push(`core ${core}: locks left: ${[...e.locks.keys()].join(", ")}`);
    if (e.marks.size > 0) out.push(`core ${core}: revoke marks left`);
    if (e.deliveries.size > 0) out.push(`core ${core}: unacknowledged deliveries left`);
    if (e.acquiring.size > 0) out.push(`core ${core}: ownership acquisitions left`);
  });
  return out;
}

/**
 * Every core agrees on each object's owner, the owner holds a copy, and the owner's remote bits
 * cover every copy and descendant on other cores (so its local decisions are safe).
 */
export function checkAgreement<S extends CapStore>(sim: Simulation<S>, model: Model): string[] {
  const out: string[] = [];
  const all = everything(sim, model);
  const byKey = new Map<string, Placed[]>();
  for (const p of all) {
    const k = capKey(p.rep);
    byKey.set(k, [...(byKey.get(k) ?? []), p]);
  }
  for (const [k, copies] of byKey) {
    const owners = new Set(copies.map((c) => c.owner));
    if (owners.size > 1) {
      out.push(`${k}: cores disagree on the owner (${[...owners].join(", ")})`);
      continue;
    }
    const owner = copies[0]?.owner as CoreId;
    const atOwner = copies.filter((c) => c.core === owner);
    if (atOwner.length === 0) {
      out.push(`${k}: owner ${owner} holds no copy`);
      continue;
    }
    const remoteCopy = copies.some((c) => c.core !== owner);
    const remoteDesc = all.some((p) => p.core !== owner && model.derives(copies[0]?.rep as CapRep, p.rep));
    for (const c of atOwner) {
      if (remoteCopy && (c.relations & Rel.Copies) === 0) out.push(`${k}: remote copies, owner's bit clear`);
      if (remoteDesc && (c.relations & (Rel.Copies | Rel.Descendants)) === 0) {
        out.push(`${k}: remote descendants, owner's bits clear`);
      }
    }
  }
  return out;
}

/** No two live objects overlap unless one is derived from the other (or they are copies). */
export function checkNoOverlap<S extends CapStore>(sim: Simulation<S>, model: Model): string[] {
  const out: string[] = [];
  const seen = new Map<string, CapRep>();
  for (const p of everything(sim, model)) seen.set(capKey(p.rep), p.rep);
  const objects = [...seen.values()].filter((r) => r.size > 0).sort((a, b) => a.base - b.base);
  for (let i = 0; i < objects.length; i++) {
    const a = objects[i] as CapRep;
    for (let j = i + 1; j < objects.length; j++) {
      const b = objects[j] as CapRep;
      if (b.base >= a.base + a.size) break;
      if (!overlaps(a.base, a.size, b.base, b.size)) continue;
      if (!model.derives(a, b) && !model.derives(b, a))
        out.push(`${capKey(a)} and ${capKey(b)} overlap, neither derived`);
    }
  }
  return out;
}

/** No capability has rights its object was not created with (`created`: rights by object key). */
export function checkRights<S extends CapStore>(
  sim: Simulation<S>,
  model: Model,
  created: Map<string, number>,
): string[] {
  const out: string[] = [];
  for (const p of everything(sim, model)) {
    const k = capKey(p.rep);
    const max = created.get(k);
    if (max === undefined) out.push(`${k} on core ${p.core}: an object nobody created`);
    else if ((p.rep.rights & ~max) !== 0) out.push(`${k} on core ${p.core}: rights grew`);
  }
  return out;
}

/**
 * Right after a revoke of `cap` succeeded keeping `kept` on core `core`: no other copy and no
 * descendant anywhere, none travelling either.
 */
export function checkRevoked<S extends CapStore>(
  sim: Simulation<S>,
  model: Model,
  cap: CapRep,
  core: CoreId,
  kept: number,
): string[] {
  const out: string[] = [];
  for (const p of everything(sim, model)) {
    if (p.core === core && p.slot === kept) continue;
    if (sameObject(p.rep, cap)) out.push(`revoked ${capKey(cap)}: copy left on core ${p.core}`);
    else if (model.derives(cap, p.rep))
      out.push(`revoked ${capKey(cap)}: descendant ${capKey(p.rep)} on core ${p.core}`);
  }
  for (const m of sim.inFlight()) {
    if (m.msg.kind !== "copy_deliver") continue;
    const r = m.msg.cap;
    if (sameObject(r, cap) || model.derives(cap, r))
      out.push(`revoked ${capKey(cap)}: a copy still travelling`);
  }
  return out;
}
