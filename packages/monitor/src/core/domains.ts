/**
 * Domains on this core: spawning one from a module (its default export is `main(self, args)`), the
 * Domain object it gets, its exit, and telling whoever spawned it. A domain's code runs only in upcalls
 * of its dispatcher (cpu-driver): `main` is the run upcall, its handlers message upcalls. A `main` that
 * throws or rejects faults the dispatcher: reported, exit code 1, and the core goes on.
 */
import { basename, dirname } from "node:path";
import { pathToFileURL } from "node:url";
import type { Dcb } from "@shoal/cpu-driver";
import {
  type BindChannelOptions,
  type BindingClass,
  type ChildDomain,
  type DomainMain,
  OsError,
} from "@shoal/libshoal";
import { type Endpoint, isShoalError } from "@shoal/runtime";
import { bindAccounted } from "../bind/accounting.js";
import { clientEndpoint, closeNotifying, fingerprintLow } from "../bind/exports.js";
import type { ClosableBinding } from "../bind/local-bindings.js";
import { stealFrame } from "../capops/mem-steal.js";
import { capabilityApi, toOsError } from "../caps/domain-api.js";
import { KILLED_EXIT_CODE } from "../machine/protocol.js";
import type { BaseDomain, SpanStart } from "../span/spans.js";
import type { Monitor } from "./monitor.js";

/** What waits for a child's exit. */
interface Child {
  readonly resolve: (code: number) => void;
  readonly core: number;
}

/** Default deadline of a name lookup. */
const LOOKUP_TIMEOUT_MS = 10_000;

/** The domains of one core. */
export class Domains {
  readonly #m: Monitor;
  /** Children spawned by this core's domains (or by a remote core for this core), by domain id. */
  readonly #children = new Map<number, Child>();
  /** Exits that arrived before anyone waited for them. */
  readonly #early = new Map<number, number>();
  /** Who to tell when a domain of this core exits: the spawning core (and the parent's id, 0: machine). */
  readonly #spawnedBy = new Map<number, { core: number; parent: number }>();
  /** Page-fault handlers the domains installed. */
  readonly #faultHandlers = new Map<number, (fault: Error) => void>();
  /** Told when a domain the machine spawned exits. */
  onMachineChildExit: (domid: number, code: number, reason: string) => void = () => {};

  constructor(m: Monitor) {
    this.#m = m;
  }

  /**
   * Spawns a domain from the module at `path` on this core. `parent` is the spawning domain (0: the
   * machine), `fromCore` the core that asked. Resolves with the domain's id once its main has started.
   * With `span`, the new dispatcher belongs to domain `span.home` (span/spans.ts) and runs `span.entry`.
   */
  async spawn(
    path: string,
    args: readonly string[],
    parent: number,
    fromCore: number,
    span?: SpanStart,
  ): Promise<number> {
    const m = this.#m;
    let main: DomainMain;
    const entry = span?.entry ?? "default";
    try {
      if (/\.[cm]?ts$/.test(path)) await typeScriptLoader();
      const mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
      if (typeof mod[entry] !== "function")
        throw new Error(
          entry === "default"
            ? "its module has no default export main(self, args)"
            : `its module has no export ${entry}`,
        );
      main = mod[entry] as DomainMain;
    } catch (e) {
      throw new OsError(
        "SPAWN_FAILED",
        `cannot spawn ${path}: ${e instanceof Error ? e.message : String(e)}`,
        e,
      );
    }
    let dcb: Dcb;
    try {
      // A page fault kills the domain (no fault handler of its own yet); the core goes on.
      const name =
        span === undefined ? domainName(path) : `${domainName(path)}:${entry === "default" ? "span" : entry}`;
      dcb = m.cpu.createDispatcher(name, parent, (d, e) => this.fault(d, e));
    } catch (e) {
      throw new OsError("SPAWN_FAILED", `cannot spawn ${path}: ${describe(e)}`, e);
    }
    this.#spawnedBy.set(dcb.id, { core: fromCore, parent });
    const self = m.spans.extend(dcb, this.#domainObject(dcb), span);
    const result = m.cpu.upcalls.run(dcb, "run", () => main(self, [...args]));
    if (dcb.finished) this.#exited(dcb);
    else
      Promise.resolve(result).then(
        (code) => {
          if (dcb.finished) return;
          dcb.state = "exited";
          dcb.exitCode = typeof code === "number" && Number.isInteger(code) ? code : 0;
          this.#exited(dcb);
        },
        (e: unknown) => {
          m.cpu.upcalls.fault(dcb, e, "run");
          this.#exited(dcb);
        },
      );
    return dcb.id;
  }

  /** A page fault of dispatcher `d`: its handler hears it, or (none installed) the dispatcher is killed. */
  fault(d: Dcb, e: Error): void {
    const m = this.#m;
    if (d.finished) return;
    const handler = this.#faultHandlers.get(d.id);
    if (handler !== undefined) {
      m.cpu.upcalls.run(d, "fault", () => handler(toOsError(e) as Error));
      return;
    }
    m.cpu.upcalls.fault(d, e, "fault");
    this.#exited(d);
  }

  /** A domain finished: its exports go, and its spawner learns the code. */
  #exited(dcb: Dcb): void {
    const m = this.#m;
    m.exports.dropDomain(dcb);
    m.bindings.domainExited(dcb);
    m.localBindings.domainExited(dcb);
    // A home dispatcher's spanned dispatchers stop before its page tables go (span/spans.ts).
    m.spans.dispatcherExited(dcb);
    m.spans.homeExited(dcb, () => m.cpu.destroyDispatcher(dcb.id));
    this.#faultHandlers.delete(dcb.id);
    const code = dcb.exitCode ?? 0;
    const by = this.#spawnedBy.get(dcb.id);
    this.#spawnedBy.delete(dcb.id);
    if (by === undefined) return;
    if (by.parent === 0) this.onMachineChildExit(dcb.id, code, dcb.reason);
    else if (by.core === m.core) this.childExited(dcb.id, code, dcb.reason);
    else if (!m.mesh.isDead(by.core))
      void m
        .peer(by.core)
        .tx.domain_exited(dcb.id, code, dcb.reason.slice(0, 1000))
        .catch(() => {});
  }

  /** A child of one of this core's domains exited (here or on another core). */
  childExited(domid: number, code: number, reason: string): void {
    void reason;
    const c = this.#children.get(domid);
    if (c === undefined) {
      // The exit can overtake the spawn's answer (a main that returns at once): keep it for the waiter.
      this.#early.set(domid, code);
      return;
    }
    this.#children.delete(domid);
    c.resolve(code);
  }

  /** Children waiting on a dead core get exit code -1. */
  coreDied(core: number): void {
    for (const [id, c] of this.#children) {
      if (c.core !== core) continue;
      this.#children.delete(id);
      c.resolve(-1);
    }
  }

  /** Stops every domain of this core (halt); returns how many were running. */
  stopAll(): number {
    let n = 0;
    for (const d of this.#m.cpu.dispatchers.list()) {
      if (d.finished) continue;
      n++;
      d.state = "exited";
      d.exitCode = d.exitCode ?? 0;
      d.reason = "halted";
      this.#m.exports.dropDomain(d);
    }
    return n;
  }

  /** Kills domain `id` of this core (exit code 137); false when it is not running here. */
  kill(id: number, reason = "killed"): boolean {
    const m = this.#m;
    if (!m.cpu.dispatchers.has(id)) return false;
    const d = m.cpu.dispatchers.get(id);
    if (d.finished) return false;
    d.state = "exited";
    d.exitCode = KILLED_EXIT_CODE;
    d.reason = reason;
    this.#exited(d);
    return true;
  }

  /** Resolves with the exit code of dispatcher `domid` on `core` (-1 if the core dies first). */
  waitFor(domid: number, core: number): Promise<number> {
    return this.#waitChild(domid, core);
  }

  #waitChild(domid: number, core: number): Promise<number> {
    const early = this.#early.get(domid);
    if (early !== undefined) {
      this.#early.delete(domid);
      return Promise.resolve(early);
    }
    return new Promise((resolve) => this.#children.set(domid, { resolve, core }));
  }

  /** The Domain object of `dcb`: the domain's only way to the OS. */
  #domainObject(dcb: Dcb): BaseDomain {
    const m = this.#m;
    const domains = this;
    const cores = m.boot.layout.cores;
    return {
      id: dcb.id,
      core: m.core,
      cores,
      ...capabilityApi(
        m.cpu,
        dcb.id,
        (h) => {
          if (h === null) domains.#faultHandlers.delete(dcb.id);
          else domains.#faultHandlers.set(dcb.id, h);
        },
        (bytes) => stealFrame(m, bytes, dcb.id),
      ),
      names: {
        async register(name: string, iref: number) {
          const err = await m.register(name, iref);
          if (err !== "") throw new OsError("NAME_TAKEN", err);
        },
        async lookup(name: string, options?: { timeoutMs?: number }) {
          const r = await m.lookup(name, options?.timeoutMs ?? LOOKUP_TIMEOUT_MS);
          if (typeof r === "string") throw new OsError("NO_SUCH_NAME", r);
          return r;
        },
      },
      async export<O extends object>(Binding: BindingClass<unknown, O>, options: O) {
        return m.exports.add(Binding as BindingClass<unknown, object>, options, dcb);
      },
      async bind<B, O extends object>(
        Binding: BindingClass<B, O>,
        iref: number,
        options?: O,
        channel?: BindChannelOptions,
      ) {
        const core = Math.floor(iref / 0x10000);
        let ep: Endpoint;
        let offset = -1;
        if (core === m.core) {
          try {
            ep = m.exports.local(iref, Binding as BindingClass<unknown, object>);
          } catch (e) {
            throw new OsError("NO_SUCH_IREF", e instanceof Error ? e.message : String(e));
          }
        } else {
          let r: { offset: bigint; lines: number; err: string };
          try {
            const fp = fingerprintLow(Binding.fingerprint);
            r =
              channel?.lines === undefined
                ? await m.peer(core).rpc.bind(iref, m.core, fp)
                : await m.peer(core).rpc.bind_lines(iref, m.core, fp, channel.lines);
          } catch (e) {
            throw new OsError("BIND_FAILED", `cannot bind iref ${iref} on core ${core}: ${describe(e)}`, e);
          }
          if (r.err !== "") throw new OsError("BIND_FAILED", r.err);
          offset = Number(r.offset);
          ep = clientEndpoint(m.boot.memory, offset, r.lines);
          m.track({ offset, peerCore: core, peerSide: 0 });
        }
        const binding = bindAccounted(m.cpu, dcb, Binding, ep, (options ?? {}) as O);
        if (offset < 0) {
          m.localBindings.add(dcb, binding as unknown as ClosableBinding);
          return binding;
        }
        const at = offset;
        const b = closeNotifying(binding, () => m.bindings.closed(at));
        m.bindings.add({
          offset,
          dcb,
          peerCore: core,
          binding: b as unknown as ClosableBinding,
          frame: null,
        });
        return b;
      },
      async spawn(module: URL | string, options?: { core?: number; args?: readonly string[] }) {
        const path = module instanceof URL ? module.pathname : String(module);
        const core = options?.core ?? m.core;
        const args = options?.args ?? [];
        if (!Number.isInteger(core) || core < 0 || core >= cores || m.mesh.isDead(core))
          throw new OsError("NO_SUCH_CORE", `there is no live core ${core} (this system has ${cores})`);
        let id: number;
        if (core === m.core) id = await domains.spawn(path, args, dcb.id, m.core);
        else {
          const r = await m.peer(core).rpc.spawn(path, JSON.stringify(args), dcb.id);
          if (r.err !== "") throw new OsError("SPAWN_FAILED", r.err);
          id = r.domid;
        }
        const child: ChildDomain = { id, core, exited: domains.#waitChild(id, core) };
        return child;
      },
      log(...parts: unknown[]) {
        m.log(
          `${dcb.name}#${dcb.id}: ${parts.map((p) => (typeof p === "string" ? p : String(p))).join(" ")}`,
        );
      },
    };
  }
}

function describe(e: unknown): string {
  if (isShoalError(e)) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

/** A domain's name: its module's file name, or its folder's for main/index modules. */
function domainName(path: string): string {
  const file = basename(path).replace(/\.[cm]?[jt]s$/, "");
  return file === "main" || file === "index" ? basename(dirname(path)) : file;
}

let tsLoader: Promise<void> | undefined;

/** Lets this core import TypeScript modules (apps run without a build step): tsx's loader, once. */
function typeScriptLoader(): Promise<void> {
  tsLoader ??= import("tsx/esm/api").then((tsx) => {
    tsx.register();
  });
  return tsLoader;
}
