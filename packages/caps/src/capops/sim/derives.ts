/**
 * Derivation by the package's type table, for the invariant checker over real kernels: `child`
 * derives from `parent` if it lies inside the parent's memory, is not a copy of it, and its type
 * can be made from the parent's through a chain of retypes (caps.hl `from`). Written from the
 * table, not from the MDB order, so the checker does not trust what it checks.
 */
import { CAP_TYPES, canRetype, isCapType } from "../../types/rules.js";
import type { CapRep } from "../types.js";
import { sameObject } from "../types.js";

const reach = new Map<string, Set<string>>();

function reachableFrom(from: string): Set<string> {
  let set = reach.get(from);
  if (set) return set;
  set = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    const t = todo.pop() as string;
    if (!isCapType(t)) continue;
    for (const to of CAP_TYPES) {
      if (!set.has(to) && canRetype(t, to)) {
        set.add(to);
        todo.push(to);
      }
    }
  }
  reach.set(from, set);
  return set;
}

/** True if `child` is derived from `parent` by the type table. */
export function derivesByTable(parent: CapRep, child: CapRep): boolean {
  if (sameObject(parent, child)) return false;
  if (child.base < parent.base || child.base + child.size > parent.base + parent.size) return false;
  return parent.type === child.type || reachableFrom(parent.type).has(child.type);
}
