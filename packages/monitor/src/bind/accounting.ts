/**
 * A domain's handlers run as upcalls of its dispatcher: every rx and rpc handler in the options it binds
 * or exports with is wrapped so that the CPU driver runs it (measured, counted as a message, a throw a
 * fault of that dispatcher) instead of the runtime calling the domain's code directly.
 */
import type { CpuDriver, Dcb } from "@shoal/cpu-driver";
import type { BindingClass } from "@shoal/libshoal";
import { bindTimeout, type Endpoint, type InterfaceInfo, openChannel } from "@shoal/runtime";
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

/** The domain's own handlers behind each wrapped table, to rewrap once the interface is known. */
const originals = new WeakMap<Handlers, { readonly handlers: Handlers; readonly self: object }>();

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
  originals.set(out, { handlers, self });
  return out;
}

/**
 * Once the binding is open and its interface known: the handler of each message that carries no cap
 * (Flounder's `caps: 0` for it) no longer looks for caps in its arguments. The stub keeps the table
 * it was given, so its entries are replaced in place.
 */
function withoutCapScan(
  cpu: CpuDriver,
  dcb: Dcb,
  table: Handlers,
  info: InterfaceInfo,
  suffix: string,
): void {
  const o = originals.get(table);
  if (o === undefined) return;
  for (const name of Object.keys(table)) {
    const msg = info.messages.find((m) => m.name === `${name}${suffix}`);
    const h = o.handlers[name];
    if (msg === undefined || msg.caps !== 0 || typeof h !== "function") continue;
    const self = o.self;
    table[name] = (...args: unknown[]) =>
      cpu.upcalls.run(dcb, "message", () => (h as (...a: unknown[]) => unknown).apply(self, args), true);
  }
}

/** Of `names` (handlers of messages `name + suffix`), those whose message carries no cap. */
export function capFreeNames(info: InterfaceInfo, names: readonly string[], suffix: string): string[] {
  return names.filter((n) => info.messages.find((m) => m.name === `${n}${suffix}`)?.caps === 0);
}

/**
 * Binds `Binding` at `ep` for domain `dcb` with `options`' handlers run as its upcalls: caps in what
 * it receives, and in its rpc calls' results, move into its CSpace, and only for the messages whose
 * interface says they carry caps.
 */
export function bindAccounted<B, O extends object>(
  cpu: CpuDriver,
  dcb: Dcb,
  Binding: BindingClass<B, O>,
  ep: Endpoint,
  options: O,
  self: HandlerThis = { binding: null },
): B {
  const opts = accounted(cpu, dcb, options, self);
  if (typeof Binding.bindChannel !== "function")
    return accountedBinding(cpu, dcb, Binding.bind(ep, opts), null);
  // Options are checked before the endpoint is claimed, as Binding.bind does.
  const timeoutMs = (opts as { timeoutMs?: number }).timeoutMs;
  if (timeoutMs !== undefined) bindTimeout(timeoutMs);
  const ch = openChannel(ep);
  const b = Binding.bindChannel(ch, opts);
  const info = ch.interfaceInfo ?? null;
  if (info !== null) {
    const o = opts as { rx?: Handlers; rpc?: Handlers };
    if (o.rx !== undefined) withoutCapScan(cpu, dcb, o.rx, info, "");
    if (o.rpc !== undefined) withoutCapScan(cpu, dcb, o.rpc, info, "_call");
  }
  return accountedBinding(cpu, dcb, b, info);
}

/** What a handler sees as `this`: the binding the message came on (set once it is bound). */
export interface HandlerThis {
  binding: unknown;
}

/**
 * `options` with its `rx` and `rpc` handlers and its `onClose` run as upcalls of `dcb`, each called
 * with `self` as `this` (so that a server's handler can answer on `this.binding`, and its onClose
 * drop what it kept for that client).
 */
export function accounted<O extends object>(
  cpu: CpuDriver,
  dcb: Dcb,
  options: O,
  self: HandlerThis = { binding: null },
): O {
  const o = options as { rx?: Handlers; rpc?: Handlers; onClose?: unknown };
  const copy: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  if (o.rx !== undefined) copy.rx = wrapAll(cpu, dcb, o.rx, self);
  if (o.rpc !== undefined) copy.rpc = wrapAll(cpu, dcb, o.rpc, self);
  const onClose = o.onClose;
  if (typeof onClose === "function")
    copy.onClose = (error: unknown) => cpu.upcalls.run(dcb, "message", () => onClose.call(self, error), true);
  return copy as O;
}

/**
 * A binding of domain `dcb` whose rpc calls resolve with their out-arguments' caps moved into the
 * domain's CSpace (the server's reference on this core, or one in transit from its core). Returns the
 * binding itself, its `rpc` methods wrapped in place (with `info`, only those whose response carries
 * caps).
 */
export function accountedBinding<B>(cpu: CpuDriver, dcb: Dcb, binding: B, info: InterfaceInfo | null): B {
  const rpc = (binding as { rpc?: Record<string, unknown> }).rpc;
  if (rpc === undefined) return binding;
  for (const [name, call] of Object.entries(rpc)) {
    if (typeof call !== "function") continue;
    // An rpc whose response the interface says carries no cap keeps the stub's own call.
    if (info?.messages.find((m) => m.name === `${name}_response`)?.caps === 0) continue;
    rpc[name] = (...args: unknown[]) =>
      (call as (...a: unknown[]) => Promise<unknown>)
        .apply(rpc, args)
        .then((out) => (dcb.finished ? out : receiveCaps(cpu, dcb, out)));
  }
  return binding;
}
