/**
 * A domain's handlers run as upcalls of its dispatcher: every rx and rpc handler in the options it binds
 * or exports with is wrapped so that the CPU driver runs it (measured, counted as a message, a throw a
 * fault of that dispatcher) instead of the runtime calling the domain's code directly.
 */
import type { CpuDriver, Dcb } from "@shoal/cpu-driver";
import { syscall } from "../caps/domain-api.js";
import { moveCaps } from "./move-caps.js";

type Handlers = Record<string, unknown>;

/**
 * The receiving end of a cap transfer: each cap in the arguments, top-level or in a struct (the
 * sender's reference on this core, or one in transit from another core), becomes a new reference in
 * the receiving domain's CSpace.
 */
export function receiveCaps<T>(cpu: CpuDriver, dcb: Dcb, value: T): T {
  return moveCaps(value, (ref) => syscall(() => cpu.receiveCap(ref, dcb.id))) as T;
}

function wrapAll(cpu: CpuDriver, dcb: Dcb, handlers: Handlers, self: object): Handlers {
  const out: Handlers = {};
  for (const [name, h] of Object.entries(handlers)) {
    if (typeof h !== "function") continue;
    // A handler's throw still reaches the stub (an rpc fails with RPC_FAILED), as the contract says.
    out[name] = (...args: unknown[]) =>
      cpu.upcalls.run(
        dcb,
        "message",
        () => (h as (...a: unknown[]) => unknown).apply(self, receiveCaps(cpu, dcb, args)),
        true,
      );
  }
  return out;
}

/** What a handler sees as `this`: the binding the message came on (set once it is bound). */
export interface HandlerThis {
  binding: unknown;
}

/**
 * `options` with its `rx` and `rpc` handlers run as upcalls of `dcb`, each called with `self` as `this`
 * (so that a server's handler can answer on `this.binding`).
 */
export function accounted<O extends object>(
  cpu: CpuDriver,
  dcb: Dcb,
  options: O,
  self: HandlerThis = { binding: null },
): O {
  const o = options as { rx?: Handlers; rpc?: Handlers };
  const copy: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  if (o.rx !== undefined) copy.rx = wrapAll(cpu, dcb, o.rx, self);
  if (o.rpc !== undefined) copy.rpc = wrapAll(cpu, dcb, o.rpc, self);
  return copy as O;
}

/**
 * A binding of domain `dcb` whose rpc calls resolve with their out-arguments' caps moved into the
 * domain's CSpace (the server's reference on this core, or one in transit from its core). Returns the
 * binding itself, its `rpc` methods wrapped in place.
 */
export function accountedBinding<B>(cpu: CpuDriver, dcb: Dcb, binding: B): B {
  const rpc = (binding as { rpc?: Record<string, unknown> }).rpc;
  if (rpc === undefined) return binding;
  for (const [name, call] of Object.entries(rpc)) {
    if (typeof call !== "function") continue;
    rpc[name] = (...args: unknown[]) =>
      (call as (...a: unknown[]) => Promise<unknown>)
        .apply(rpc, args)
        .then((out) => (dcb.finished ? out : receiveCaps(cpu, dcb, out)));
  }
  return binding;
}
