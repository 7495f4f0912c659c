/**
 * The capability half of a Domain object: `frames`, `vspace` and `caps`, each a thin call into the
 * dispatcher's system-call surface (cpu-driver `Syscalls`). The kernel's typed failures become the
 * domain's OsErrors with the same code (CAP_TYPE, CAP_RIGHTS, FORGED_CAP, PAGE_FAULT...).
 */
import { isCapError } from "@shoal/caps";
import { type CpuDriver, isKernelError, type MappedMemory, type Syscalls } from "@shoal/cpu-driver";
import type { Cap, DomainCaps, DomainFrames, DomainVSpace, MappedFrame, OsErrorCode } from "@shoal/libshoal";
import { OsError } from "@shoal/libshoal";
import { frameAtomics } from "./frame-atomics.js";

/** The kernel's failure as the domain's OsError (other errors pass through). */
export function toOsError(e: unknown): unknown {
  if (isCapError(e)) return new OsError(e.code as OsErrorCode, e.message, e);
  if (isKernelError(e)) return new OsError(e.code as OsErrorCode, e.message, e);
  return e;
}

/** Runs a system call, rethrowing kernel failures as OsErrors. */
export function syscall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toOsError(e);
  }
}

/** The `frames`, `vspace` and `caps` of dispatcher `id`'s Domain object. */
export function capabilityApi(
  cpu: CpuDriver,
  id: number,
  setFaultHandler: (handler: ((fault: Error) => void) | null) => void,
  steal?: (bytes: number) => Promise<Cap>,
): { frames: DomainFrames; vspace: Omit<DomainVSpace, "view" | "protect">; caps: DomainCaps } {
  const sys = (): Syscalls => syscall(() => cpu.syscalls(id));
  return {
    frames: {
      async alloc(bytes: number) {
        try {
          return syscall(() => sys().allocFrame(bytes));
        } catch (e) {
          // This core's RAM is out: another core's monitor may lend a frame of its RAM.
          if (steal === undefined || !(e instanceof OsError) || e.code !== "NO_MEMORY") throw e;
          return steal(bytes);
        }
      },
    },
    vspace: {
      async map(frame: Cap, options?: { readonly write?: boolean }) {
        return syscall(() => wrapFaults(sys().map(frame, options ?? {})));
      },
      async unmap(mem: MappedFrame) {
        syscall(() => sys().unmap(unwrapped.get(mem) ?? (mem as MappedMemory)));
      },
      setFaultHandler,
    },
    caps: {
      identify: (cap) => {
        const i = syscall(() => sys().identify(cap));
        const r = syscall(() => sys().relations(cap));
        return { type: i.type, base: i.base, size: i.size, rights: i.rights, ...r };
      },
      copy: (cap) => syscall(() => sys().copy(cap)),
      mint: (cap, rights) => syscall(() => sys().mint(cap, rights)),
      delete: (cap) => settled(() => sys().delete(cap)),
      revoke: (cap) => settled(() => sys().revoke(cap)),
      retype: async (cap, type, options) => {
        try {
          return await syscall(() => sys().retype(cap, type, options));
        } catch (e) {
          throw toOsError(e);
        }
      },
    },
  };
}

/**
 * A call that finishes at once (undefined) or through the monitors (a promise): either way a promise,
 * rejected with an OsError. A local call's effect is done before it returns.
 */
function settled(fn: () => Promise<void> | undefined): Promise<void> {
  let p: Promise<void> | undefined;
  try {
    p = fn();
  } catch (e) {
    return Promise.reject(toOsError(e));
  }
  return p === undefined ? Promise.resolve() : p.catch((e: unknown) => Promise.reject(toOsError(e)));
}

const unwrapped = new WeakMap<MappedFrame, MappedMemory>();

/** The accessor a domain gets: the kernel's MappedMemory, its faults as OsError PAGE_FAULT. */
function wrapFaults(m: MappedMemory): MappedFrame {
  const f: MappedFrame = {
    vaddr: m.vaddr,
    byteLength: m.byteLength,
    getUint8: (o) => syscall(() => m.getUint8(o)),
    setUint8: (o, v) => syscall(() => m.setUint8(o, v)),
    getUint32: (o, le) => syscall(() => m.getUint32(o, le)),
    setUint32: (o, v, le) => syscall(() => m.setUint32(o, v, le)),
    getBigUint64: (o, le) => syscall(() => m.getBigUint64(o, le)),
    setBigUint64: (o, v, le) => syscall(() => m.setBigUint64(o, v, le)),
    read: (o, n) => syscall(() => m.read(o, n)),
    write: (o, b) => syscall(() => m.write(o, b)),
    ...frameAtomics(m),
  };
  unwrapped.set(f, m);
  return f;
}
