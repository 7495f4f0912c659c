/** Errors of the per-core kernel, each with a stable code. */

/** Stable codes of the CPU driver. */
export type KernelErrorCode =
  /** No dispatcher of that id on this core. */
  | "NO_SUCH_DISPATCHER"
  /** The core's RAM has no free range of the requested size. */
  | "OUT_OF_MEMORY"
  /** A frame request that is not a positive multiple of the page size, or a bad range. */
  | "BAD_FRAME"
  /** An access outside a mapping, or to an unmapped or read-only page. */
  | "PAGE_FAULT"
  /** A capability reference this CPU driver did not issue to the caller (a number, a foreign CapRef). */
  | "FORGED_CAP"
  /** A 32-bit atomic operation or wait on an address that is not 4-byte aligned. */
  | "ALIGNMENT_FAULT";

/** A failure of the CPU driver. */
export class KernelError extends Error {
  override readonly name = "KernelError";
  readonly code: KernelErrorCode;
  constructor(code: KernelErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** True when `e` is a KernelError, optionally of `code`. */
export function isKernelError(e: unknown, code?: KernelErrorCode): e is KernelError {
  return e instanceof KernelError && (code === undefined || e.code === code);
}
