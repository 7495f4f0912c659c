/**
 * The Domain API: what a domain's `main(self, args)` gets. A Domain is the domain's dispatcher on one
 * core, seen from user code; every call goes to the OS through the {@link DomainServices} its core
 * provides (the CPU driver and the monitor), never around it.
 */
import type { CapRef, Channel, Endpoint } from "@shoal/runtime";

/**
 * How a cross-core binding's channel is laid out (ignored on one core, where bindings are lrpc).
 * Barrelfish's UMP bind lets the client choose its buffer sizes; here the client asks and the server's
 * monitor lays the channel out.
 */
export interface BindChannelOptions {
  /**
   * Cache lines per direction of the urpc ring (default 32: 1,792 payload bytes). A bigger ring lets a
   * sender keep several large messages in flight before it waits for the receiver (bulk data: a
   * network device's frame batches). A power of two in 4..4096.
   */
  readonly lines?: number;
}

/** A generated binding class (`PingPong` from `flounder gen`), as the Domain API uses it. */
export interface BindingClass<B = unknown, O = object> {
  readonly interfaceName: string;
  readonly fingerprint: string;
  bind(endpoint: Endpoint, options?: O): B;
  /** Binds over a channel already open in this thread (generated stubs have it). */
  bindChannel?(channel: Channel, options?: O): B;
}

/** A name of an exported service: `core << 16 | export index` (Flounder's iref). */
export type Iref = number;

/** Options of {@link Domain.spawn}. */
export interface SpawnOptions {
  /** The core to run on (default: the caller's). */
  readonly core?: number;
  /** Arguments for the child's main. */
  readonly args?: readonly string[];
}

/** A spawned domain. */
export interface ChildDomain {
  readonly id: number;
  readonly core: number;
  /** Resolves with the child's exit code (main's return value, 0 for none, 1 when it threw). */
  readonly exited: Promise<number>;
}

/** Options of {@link DomainNames.lookup}. */
export interface LookupOptions {
  /** How long to wait for the name to be registered (default 10 s). */
  readonly timeoutMs?: number;
}

/** The name service, as a domain uses it. */
export interface DomainNames {
  register(name: string, iref: Iref): Promise<void>;
  /** Waits until `name` is registered (NO_SUCH_NAME after the deadline). */
  lookup(name: string, options?: LookupOptions): Promise<Iref>;
}

/** A capability reference of the domain's CSpace (issued by its CPU driver; anything else is forged). */
export type Cap = CapRef;

/** What a capability names, as identify reports it. */
export interface CapIdentity {
  readonly type: string;
  readonly base: number;
  readonly size: number;
  readonly rights: number;
  /** The core that owns the object: it orders the object's operations across cores. */
  readonly owner?: number;
  /** Remote-relation bits: 1 copies on other cores, 2 descendants there, 4 ancestors there. */
  readonly relations?: number;
}

/** A frame mapped into the domain's address space: every access goes through the core's MMU. */
export interface MappedFrame {
  readonly vaddr: number;
  readonly byteLength: number;
  getUint8(offset: number): number;
  setUint8(offset: number, value: number): void;
  getUint32(offset: number, littleEndian?: boolean): number;
  setUint32(offset: number, value: number, littleEndian?: boolean): void;
  getBigUint64(offset: number, littleEndian?: boolean): bigint;
  setBigUint64(offset: number, value: bigint, littleEndian?: boolean): void;
  /** A copy of `length` bytes from `offset`. */
  read(offset: number, length: number): Uint8Array;
  write(offset: number, bytes: Uint8Array): void;
  /*
   * Atomics on the physical word behind `offset` (translated through the MMU, then Atomics.* on
   * physical memory), so dispatchers on different cores meet on one word. `offset` must be 4-byte
   * aligned (else ALIGNMENT_FAULT) and mapped (else PAGE_FAULT). Read-modify-writes return the old
   * value; compareExchange32 the value found.
   */
  load32(offset: number): number;
  store32(offset: number, value: number): number;
  add32(offset: number, delta: number): number;
  sub32(offset: number, delta: number): number;
  and32(offset: number, mask: number): number;
  or32(offset: number, mask: number): number;
  exchange32(offset: number, value: number): number;
  compareExchange32(offset: number, expected: number, replacement: number): number;
  /**
   * Blocks this core while the word holds `expected` (Atomics.wait; the CPU driver counts it as
   * blocked, not as an overrun). Nothing else runs on the core meanwhile: prefer {@link waitAsync32}.
   */
  wait32(offset: number, expected: number, timeoutMs?: number): FutexWaitOutcome;
  /** As wait32, yielding the upcall: the dispatcher is `blocked` until it settles. */
  waitAsync32(offset: number, expected: number, timeoutMs?: number): Promise<FutexWaitOutcome>;
  /** Wakes up to `count` waiters (default all) on the physical word; returns how many. */
  notify32(offset: number, count?: number): number;
  /**
   * A direct window on physically contiguous, writable mapped bytes (a frame's), or undefined. The
   * translation is taken once: drop the window before unmapping (it does not see the unmap).
   */
  float64Window(offset: number, length: number): Float64Array | undefined;
  int32Window(offset: number, length: number): Int32Array | undefined;
}

/** What a futex wait returned, as Atomics.wait. */
export type FutexWaitOutcome = "ok" | "not-equal" | "timed-out";

/** Frames: RAM of the domain's core, retyped into Frame caps in its CSpace. */
export interface DomainFrames {
  /** A Frame cap of at least `bytes` (whole 4 KiB pages). */
  alloc(bytes: number): Promise<Cap>;
}

/** The domain's address space. */
export interface DomainVSpace {
  /** Maps a Frame cap (writable when it has WRITE, unless `write: false`). */
  map(frame: Cap, options?: { readonly write?: boolean }): Promise<MappedFrame>;
  /** Unmaps; later accesses are PAGE_FAULT. */
  unmap(mem: MappedFrame): Promise<void>;
  /**
   * Installs the domain's page-fault handler (Barrelfish's exception upcall). A fault is always thrown
   * at the access as an OsError PAGE_FAULT; with no handler the domain is also killed (reported, exit
   * code 1), with one the handler hears it (a fault upcall) and the domain goes on.
   */
  setFaultHandler(handler: ((fault: Error) => void) | null): void;
  /**
   * A range that any dispatcher of this domain mapped, accessed through this core's MMU and TLB (the
   * domain has one page-table tree, so a vaddr means the same on every core of the domain).
   */
  view(vaddr: number, bytes: number): MappedFrame;
  /**
   * Changes a mapping's rights on every core of the domain (returns when no core can still write
   * through it when write is false).
   */
  protect(mem: MappedFrame, options: { readonly write: boolean }): Promise<void>;
}

/** Capability invocations on the domain's own CSpace. */
export interface DomainCaps {
  identify(cap: Cap): CapIdentity;
  /** A copy in a new slot. */
  copy(cap: Cap): Cap;
  /** A copy with rights narrowed to `rights` (RIGHT_* bits of `@shoal/caps`). */
  mint(cap: Cap, rights: number): Cap;
  /**
   * Deletes the cap. One only this core knows of is gone when the call returns; the last local copy
   * of one with copies on other cores goes through the monitors (the promise settles then; a core that
   * dies meanwhile fails it with PEER_DIED).
   */
  delete(cap: Cap): Promise<void>;
  /** Deletes every copy and descendant of the cap, on every core, keeping this one (as delete). */
  revoke(cap: Cap): Promise<void>;
  /**
   * Makes `count` (default 1) new objects of `type`, `bytes` each, from `offset` (default 0) inside
   * the cap (Barrelfish's cap_retype), in new slots. A cap with copies on other cores is retyped only
   * once every core's monitor agreed (two-phase commit: none holds anything derived from the region).
   * Refused typed: RETYPE_OVERLAP, REVOKE_FIRST, RETYPE_INVALID, OUT_OF_RANGE, CAP_LOCKED, PEER_DIED.
   */
  retype(
    cap: Cap,
    type: string,
    options: { readonly bytes: number; readonly count?: number; readonly offset?: number },
  ): Promise<Cap[]>;
}

/** Options of {@link Domain.span}. */
export interface SpanOptions {
  /** The export of the module to run (default "default"). */
  readonly entry?: string;
  /** Arguments for the entry. */
  readonly args?: readonly string[];
}

/** A dispatcher of this domain started on another core by {@link Domain.span}. */
export interface SpannedDispatcher {
  readonly core: number;
  /** its dispatcher id */
  readonly dispatcher: number;
  /** entry's return code (1 when it threw) */
  readonly exited: Promise<number>;
}

/** A domain's view of the OS. */
export interface Domain {
  /** This domain's id (unique in the system). */
  readonly id: number;
  /** The core this dispatcher runs on. */
  readonly core: number;
  /** The number of cores of the system. */
  readonly cores: number;
  readonly names: DomainNames;
  readonly frames: DomainFrames;
  readonly vspace: DomainVSpace;
  readonly caps: DomainCaps;
  /**
   * Exports a service: every client that binds gets its own binding of `Binding` with `options`
   * (handlers). Returns the iref to register or hand out.
   */
  export<O extends object>(Binding: BindingClass<unknown, O>, options: O): Promise<Iref>;
  /**
   * Binds to an export: lrpc when it is on this core, urpc over a channel in physical memory otherwise
   * (laid out as `channel` asks).
   */
  bind<B, O extends object>(
    Binding: BindingClass<B, O>,
    iref: Iref,
    options?: O,
    channel?: BindChannelOptions,
  ): Promise<B>;
  /** Spawns a domain from a module (a URL or path) on a core. */
  spawn(module: URL | string, options?: SpawnOptions): Promise<ChildDomain>;
  /**
   * Starts a dispatcher of this domain on `core`, running export `entry` (default "default") of
   * `module` as entry(self, args); it shares this domain's address space. In the spanned dispatcher
   * `self.id` is this domain's id and `self.core` its own core. When the domain's home dispatcher
   * (the one spawned) exits, its spanned dispatchers are stopped. A spanned dispatcher may span
   * too (the home core carries it out and keeps the domain's record).
   */
  span(core: number, module: URL | string, options?: SpanOptions): Promise<SpannedDispatcher>;
  /** One line to the system console, prefixed with the domain. */
  log(...parts: unknown[]): void;
}

/**
 * A domain's `main`: the default export of its module (a span's entry has the same shape). It returns
 * its exit code, or nothing for 0.
 */
export type DomainMain = (
  self: Domain,
  args: string[],
  // biome-ignore lint/suspicious/noConfusingVoidType: an async main that returns nothing is Promise<void>, which undefined does not admit
) => Promise<number | undefined | void> | number | undefined | void;
