/**
 * The atomic half of a domain's mapped-frame accessor: the CPU driver's atomics and futex waits on
 * the physical word (cpu-driver MappedMemory), with the kernel's ALIGNMENT_FAULT / PAGE_FAULT turned
 * into the domain's OsErrors. Written out per method rather than through a generic wrapper: these
 * sit on the lock paths of @shoal/threads.
 */
import type { MappedMemory } from "@shoal/cpu-driver";
import type { MappedFrame } from "@shoal/libshoal";
import { toOsError } from "./domain-api.js";

type Atomic = Pick<
  MappedFrame,
  | "load32"
  | "store32"
  | "add32"
  | "sub32"
  | "and32"
  | "or32"
  | "exchange32"
  | "compareExchange32"
  | "wait32"
  | "waitAsync32"
  | "notify32"
  | "float64Window"
  | "int32Window"
>;

const always = (): void => {};

/**
 * The atomic operations of `m` for its MappedFrame; `live` (a spanned view's) throws when the
 * dispatcher that holds the accessor has stopped.
 */
export function frameAtomics(m: MappedMemory, live: () => void = always): Atomic {
  const fail = (e: unknown): never => {
    throw toOsError(e);
  };
  return {
    load32: (o) => {
      try {
        live();
        return m.load32(o);
      } catch (e) {
        return fail(e);
      }
    },
    store32: (o, v) => {
      try {
        live();
        return m.store32(o, v);
      } catch (e) {
        return fail(e);
      }
    },
    add32: (o, v) => {
      try {
        live();
        return m.add32(o, v);
      } catch (e) {
        return fail(e);
      }
    },
    sub32: (o, v) => {
      try {
        live();
        return m.sub32(o, v);
      } catch (e) {
        return fail(e);
      }
    },
    and32: (o, v) => {
      try {
        live();
        return m.and32(o, v);
      } catch (e) {
        return fail(e);
      }
    },
    or32: (o, v) => {
      try {
        live();
        return m.or32(o, v);
      } catch (e) {
        return fail(e);
      }
    },
    exchange32: (o, v) => {
      try {
        live();
        return m.exchange32(o, v);
      } catch (e) {
        return fail(e);
      }
    },
    compareExchange32: (o, e0, r) => {
      try {
        live();
        return m.compareExchange32(o, e0, r);
      } catch (e) {
        return fail(e);
      }
    },
    wait32: (o, v, ms) => {
      try {
        live();
        return m.wait32(o, v, ms);
      } catch (e) {
        return fail(e);
      }
    },
    waitAsync32: async (o, v, ms) => {
      try {
        live();
        return await m.waitAsync32(o, v, ms);
      } catch (e) {
        return fail(e);
      }
    },
    notify32: (o, n) => {
      try {
        live();
        return m.notify32(o, n);
      } catch (e) {
        return fail(e);
      }
    },
    float64Window: (o, n) => {
      try {
        live();
        return m.float64Window(o, n);
      } catch (e) {
        return fail(e);
      }
    },
    int32Window: (o, n) => {
      try {
        live();
        return m.int32Window(o, n);
      } catch (e) {
        return fail(e);
      }
    },
  };
}
