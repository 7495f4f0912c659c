/**
 * Retype: make `count` new objects of a type from a region of a source capability (Barrelfish
 * `caps_retype`). Decoded first (every check, each with its own code), then invoked.
 *
 * Retyping a source that already has descendants is allowed where the new region overlaps none of
 * them (Barrelfish's range check): an existing descendant inside or partly over the region is
 * RETYPE_OVERLAP; one covering the whole region is REVOKE_FIRST (retype that one, or revoke).
 */

import {
  FLAG_IN_DELETE,
  FLAG_LOCKED,
  FLAG_REMOTE_ANCS,
  FLAG_REMOTE_COPIES,
  FLAG_REMOTE_DESCS,
  NIL,
} from "../cspace/cte-layout.js";
import { type CapFailure, type CapResult, fail, OK } from "../errors.js";
import type { CapKernel } from "../kernel/cap-kernel.js";
import {
  canRetypeId,
  checkObjectSize,
  objectAlignment,
  T,
  TYPE_IS_MAPPING,
  TYPE_MEMORY,
  TYPE_ROOT,
  typeIdOf,
  typeName,
} from "../types/rules.js";
import { CAP_TYPE_TABLE } from "../types/table.js";

/** A retype request as the CPU driver decodes it from an invocation. */
export interface RetypeRequest {
  /** The type of the new objects (caps.hl name). */
  readonly type: string;
  /** Byte offset (or first index, for ranges) of the first new object inside the source. */
  readonly offset: number;
  /** Size of each new object (bytes, or a count for IRQ vectors and I/O ports; 0 for tokens). */
  readonly objSize: number;
  /** Number of new objects; they go to `count` consecutive destination slots. */
  readonly count: number;
}

/** Options that only the monitor may pass. */
export interface MonitorOptions {
  /** The monitor has run the distributed protocol: skip the "retry through the monitor" check. */
  readonly fromMonitor?: boolean;
}

const isNat = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * Checks a retype of CTE `src` into CTEs `destFirst .. destFirst + count - 1` (already known to be
 * inside one CNode). Returns the new objects' type id, or a failure.
 */
export function decodeRetype(
  k: CapKernel,
  src: number,
  req: RetypeRequest,
  destFirst: number,
  opts: MonitorOptions = {},
): number | CapFailure {
  const s = k.s;
  const from = s.type(src);
  if (from === T.Null) return fail("CAP_NOT_FOUND", "the source slot is empty");
  const to = typeIdOf(req.type);
  if (to < 0) return fail("INVALID_ARGUMENT", `unknown capability type ${JSON.stringify(req.type)}`);
  const { offset, objSize, count } = req;
  if (!isNat(offset) || !isNat(objSize) || !isNat(count)) {
    return fail("INVALID_ARGUMENT", "offset, objSize and count must be non-negative safe integers");
  }
  if (count === 0) return fail("INVALID_ARGUMENT", "count must be at least 1");
  if ((s.flags(src) & (FLAG_LOCKED | FLAG_IN_DELETE)) !== 0) {
    return fail("CAP_LOCKED", "the source is locked by a distributed operation");
  }
  if (TYPE_IS_MAPPING[to] === 1)
    return fail("RETYPE_INVALID", `${req.type} is made by mapping, never by retype`);
  if (!canRetypeId(from, to))
    return fail("RETYPE_INVALID", `${typeName(from)} cannot be retyped into ${req.type}`);
  const multiple = CAP_TYPE_TABLE[from]?.name === "Dispatcher";
  const sizeError = checkObjectSize(to, objSize);
  if (sizeError !== null) return fail("INVALID_SIZE", sizeError);
  const align = objectAlignment(to);
  if (offset % align !== 0) return fail("INVALID_ARGUMENT", `offset ${offset} is not a multiple of ${align}`);
  const srcSize = s.size(src);
  if (multiple) {
    // caps.hl can_retype_multiple: endpoints name the whole dispatcher, any number of times.
    if (offset !== 0 || count !== 1 || objSize !== srcSize) {
      return fail("OUT_OF_RANGE", "a dispatcher is retyped whole: offset 0, count 1, objSize its size");
    }
  } else if (offset + count * objSize > srcSize) {
    return fail(
      "OUT_OF_RANGE",
      `${count} x ${objSize} from offset ${offset} exceeds the source's ${srcSize}`,
    );
  } else if (to === from && offset === 0 && objSize === srcSize) {
    return fail("RETYPE_INVALID", "the new object would equal the source: copy it instead");
  }
  const flags = s.flags(src);
  if (!opts.fromMonitor && !(multiple && s.owner(src) === k.core)) {
    if (s.owner(src) !== k.core || (flags & FLAG_REMOTE_DESCS) !== 0) {
      return fail("RETRY_THROUGH_MONITOR", "the source is owned elsewhere or has remote descendants");
    }
  }
  for (let i = 0; i < count; i++) {
    if (s.type(destFirst + i) !== T.Null) return fail("SLOT_OCCUPIED", `destination slot ${i} is occupied`);
  }
  if (!multiple) {
    const base = s.base(src) + offset;
    const end = base + count * objSize;
    const d = k.mdb.firstOverlapAfter(
      TYPE_ROOT[from] as number,
      s.base(src),
      srcSize,
      from,
      Number.POSITIVE_INFINITY,
      base,
      end,
    );
    if (d !== NIL) {
      if (s.base(d) <= base && s.end(d) >= end) {
        return fail("REVOKE_FIRST", `a ${typeName(s.type(d))} derived from the source covers the region`);
      }
      return fail("RETYPE_OVERLAP", `the region overlaps a ${typeName(s.type(d))} at ${s.base(d)}`);
    }
    if (TYPE_MEMORY[to] === 1 && from === T.RAM && !k.mem.contains(base, end - base)) {
      return fail("NO_MEMORY", `the region [${base}, ${end}) lies outside physical memory`);
    }
  }
  return to;
}

/** Creates the objects of a decoded retype. */
export function invokeRetype(
  k: CapKernel,
  src: number,
  to: number,
  req: RetypeRequest,
  destFirst: number,
): void {
  const s = k.s;
  const from = s.type(src);
  const base = from === T.Dispatcher ? s.base(src) : s.base(src) + req.offset;
  const { objSize, count } = req;
  // New objects from untyped RAM start zeroed (CNode slots read as Null, page tables as not present).
  // RAM split into RAM stays untyped: nothing to clear.
  if (from === T.RAM && to !== T.RAM) k.mem.zero(base, count * objSize);
  const rights = s.rights(src);
  const srcFlags = s.flags(src);
  const flags = (srcFlags & (FLAG_REMOTE_COPIES | FLAG_REMOTE_ANCS)) !== 0 ? FLAG_REMOTE_ANCS : 0;
  for (let i = 0; i < count; i++) {
    const d = destFirst + i;
    s.write(d, to, base + i * objSize, objSize, rights, 0, k.core);
    if (flags !== 0) s.setFlags(d, flags);
    k.mdb.insert(d);
  }
}

/** Decodes, then invokes, a retype. */
export function retype(
  k: CapKernel,
  src: number,
  req: RetypeRequest,
  destFirst: number,
  opts: MonitorOptions = {},
): CapResult<undefined> {
  const to = decodeRetype(k, src, req, destFirst, opts);
  if (typeof to !== "number") return to;
  invokeRetype(k, src, to, req, destFirst);
  return OK;
}
