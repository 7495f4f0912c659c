/**
 * Exports and bind mediation. A domain exports a generated binding class with its handlers and gets an
 * iref (core << 16 | export index). A client on the same core binds over lrpc; a client on another core
 * asks its monitor, which asks this one (intermon `bind`): this monitor takes a frame of the core's RAM,
 * lays a urpc channel out in it, binds the export's end there and answers where it is; the client's
 * monitor opens the other end. Both monitors remember the channel so that it is failed if the other
 * side's core dies.
 */
import type { Dcb } from "@shoal/cpu-driver";
import type { BindingClass } from "@shoal/libshoal";
import {
  connectPair,
  connectRegion,
  DEFAULT_RECEIVE_BUDGET,
  DEFAULT_SEND_QUEUE,
  type Endpoint,
  regionBytes,
} from "@shoal/runtime";
import type { Monitor } from "../core/monitor.js";
import { bindAccounted } from "./accounting.js";
import type { ClosableBinding } from "./local-bindings.js";

/** Lines per direction of a binding's channel. */
export const BIND_LINES = 32;

/** Bounds of a ring size a client may ask for (BindChannelOptions.lines; a power of two, as urpc wants). */
export const MIN_BIND_LINES = 4;
export const MAX_BIND_LINES = 4096;

/** One export. */
interface Export {
  readonly Binding: BindingClass<unknown, object>;
  readonly options: object;
  readonly dcb: Dcb;
}

/** A binding channel in physical memory with a peer on another core. */
export interface Connection {
  readonly offset: number;
  readonly peerCore: number;
  /** The side the peer holds (what failConnection marks dead). */
  readonly peerSide: 0 | 1;
}

/** The exports of one core. */
export class Exports {
  readonly #monitor: Monitor;
  readonly #exports: (Export | undefined)[] = [];
  readonly #connections: Connection[] = [];

  constructor(monitor: Monitor) {
    this.#monitor = monitor;
  }

  /** Exports `Binding` with `options` for domain `dcb`; returns its iref. */
  add(Binding: BindingClass<unknown, object>, options: object, dcb: Dcb): number {
    const index = this.#exports.length;
    if (index >= 0xffff) throw new Error(`core ${this.#monitor.core} has no export slot left`);
    this.#exports.push({ Binding, options, dcb });
    return this.#monitor.core * 0x10000 + index;
  }

  /** Drops the exports of a finished domain. */
  dropDomain(dcb: Dcb): void {
    this.#exports.forEach((e, i) => {
      if (e?.dcb === dcb) this.#exports[i] = undefined;
    });
  }

  #find(iref: number, fingerprint: string | number): Export {
    const core = Math.floor(iref / 0x10000);
    const e = core === this.#monitor.core ? this.#exports[iref % 0x10000] : undefined;
    if (e === undefined || e.dcb.finished)
      throw new Error(`iref ${iref} names no export on core ${this.#monitor.core}`);
    const fp = typeof fingerprint === "number" ? fingerprint : fingerprintLow(fingerprint);
    if (fingerprintLow(e.Binding.fingerprint) !== fp)
      throw new Error(`iref ${iref} exports interface ${e.Binding.interfaceName}, not the one asked for`);
    return e;
  }

  /** A same-core bind: both ends here, over lrpc. Returns the client's endpoint. */
  local(iref: number, Binding: BindingClass<unknown, object>): Endpoint {
    const e = this.#find(iref, Binding.fingerprint);
    const [client, server] = connectPair("lrpc");
    const self = { binding: null as unknown };
    self.binding = bindAccounted(this.#monitor.cpu, e.dcb, e.Binding, server, e.options, self);
    this.#monitor.localBindings.add(e.dcb, self.binding as ClosableBinding);
    return client;
  }

  /**
   * The server side of a cross-core bind: a channel of `lines` lines per direction in this core's RAM,
   * the export bound to side 0.
   */
  serve(
    iref: number,
    clientCore: number,
    fingerprint: number,
    lines = BIND_LINES,
  ): { offset: number; lines: number } {
    if (
      !Number.isInteger(lines) ||
      lines < MIN_BIND_LINES ||
      lines > MAX_BIND_LINES ||
      (lines & (lines - 1)) !== 0
    )
      throw new Error(
        `a channel's ring has a power of two of lines in ${MIN_BIND_LINES}..${MAX_BIND_LINES}, not ${lines}`,
      );
    const e = this.#find(iref, fingerprint);
    const m = this.#monitor;
    const frame = m.cpu.ram.alloc(regionBytes(lines));
    const [server] = connectRegionAt(m, frame.base, lines);
    const self = { binding: null as unknown };
    const binding = closeNotifying(bindAccounted(m.cpu, e.dcb, e.Binding, server, e.options, self), () =>
      m.bindings.closed(frame.base),
    );
    self.binding = binding;
    this.track({ offset: frame.base, peerCore: clientCore, peerSide: 1 });
    const cte = m.cpu.ram.cspace.resolve(frame.slot) as number;
    m.bindings.add({
      offset: frame.base,
      dcb: e.dcb,
      peerCore: clientCore,
      binding: binding as unknown as ClosableBinding,
      frame: { cte, base: frame.base, bytes: frame.bytes },
    });
    return { offset: frame.base, lines };
  }

  track(c: Connection): void {
    this.#connections.push(c);
  }

  /** The channel at `offset` is over (its frame was given back). */
  untrack(offset: number): void {
    const i = this.#connections.findIndex((c) => c.offset === offset);
    if (i >= 0) this.#connections.splice(i, 1);
  }

  connectionsWith(core: number): Connection[] {
    return this.#connections.filter((c) => c.peerCore === core);
  }
}

function connectRegionAt(m: Monitor, offset: number, lines: number): [Endpoint, Endpoint] {
  return connectRegion(m.boot.memory, offset, { lines });
}

/** `binding` with its close() also calling `then` (so that the monitor hears of it). */
export function closeNotifying<B>(binding: B, then: () => void): B {
  const b = binding as { close?: () => Promise<void> };
  const close = b.close;
  if (typeof close !== "function") return binding;
  b.close = () => {
    const p = close.call(binding);
    then();
    return p;
  };
  return binding;
}

/** The client's end of a channel the server's monitor laid out at `offset`. */
export function clientEndpoint(memory: SharedArrayBuffer, offset: number, lines: number): Endpoint {
  return {
    tag: "shoal.endpoint/1",
    transport: "urpc",
    id: `bind@${offset}`,
    side: 1,
    memory,
    offset,
    lines,
    receiveBudget: DEFAULT_RECEIVE_BUDGET,
    sendQueue: DEFAULT_SEND_QUEUE,
  };
}

/** The low 32 bits of a fingerprint, what a bind request carries to check the interface. */
export function fingerprintLow(fp: string): number {
  return Number.parseInt(fp.slice(-8), 16) >>> 0;
}
