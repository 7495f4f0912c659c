/**
 * The monitor of one core: a privileged dispatcher beside the CPU driver. It holds the core's end of the
 * intermon mesh (a urpc channel in physical memory to every other monitor), serves the other monitors'
 * requests (ping, spawn, names on core 0, bind, ps, halt), mediates binds for its domains, and notices
 * dead cores: every channel to a dead core is failed, so whatever waits on it gets PEER_DIED.
 */
import type { CpuDriver } from "@shoal/cpu-driver";
import { failConnection, type ShoalError } from "@shoal/runtime";
import { BindingFrames } from "../bind/binding-frames.js";
import { type Connection, Exports } from "../bind/exports.js";
import { LocalBindings } from "../bind/local-bindings.js";
import { MemLender } from "../capops/mem-steal.js";
import { MonitorCapops } from "../capops/monitor-capops.js";
import type { MonitorRetype } from "../capops/retype-2pc.js";
import { Intermon } from "../gen/intermon.js";
import type { CoreBoot, PsRow } from "../machine/protocol.js";
import { NameServer } from "../names/name-server.js";
import type { Routes } from "../skb/routes.js";
import { spanHandlers, spanRx } from "../span/handlers.js";
import { Spans } from "../span/spans.js";
import type { MonitorShootdown } from "../vspace/shootdown.js";
import { Domains } from "./domains.js";
import { LazyPart } from "./lazy-part.js";
import { Mesh } from "./mesh.js";

type IntermonBinding = ReturnType<typeof Intermon.bind>;

/** Everything a core runs besides its domains. */
export class Monitor {
  readonly cpu: CpuDriver;
  readonly boot: CoreBoot;
  readonly names: NameServer | null;
  readonly exports: Exports;
  readonly domains: Domains;
  /** Domains with dispatchers on several cores (span/). */
  readonly spans: Spans;
  /** TLB shootdown between the monitors (vspace/), loaded on first use (lazy-part.ts). */
  readonly shootdown: LazyPart<MonitorShootdown>;
  /** Mesh bindings by core, bound on first use (mesh.ts). */
  readonly mesh: Mesh<IntermonBinding>;
  /** The distributed capability operations (capops over intermon). */
  readonly capops: MonitorCapops;
  /** Retypes of caps with remote relations, by two-phase commit between the monitors; loaded on first use. */
  readonly retypes: LazyPart<MonitorRetype>;
  /** Frames of this core's RAM lent to cores whose RAM ran out. */
  readonly lender: MemLender;
  /** Cross-core binding ends of this core, whose channel frames are given back when both close. */
  readonly bindings: BindingFrames;
  /** Same-core (lrpc) binding ends of this core's domains, closed when their domain exits. */
  readonly localBindings = new LocalBindings();
  readonly #console: (line: string) => void;
  #routes: Promise<Routes> | undefined;

  constructor(cpu: CpuDriver, boot: CoreBoot, console: (line: string) => void) {
    this.cpu = cpu;
    this.boot = boot;
    this.#console = console;
    this.names = cpu.core === 0 ? new NameServer() : null;
    this.exports = new Exports(this);
    this.domains = new Domains(this);
    // The shootdown, the retype 2PC and @shoal/agreement load when a core first needs them, not at boot.
    const failed = (what: string) => (e: unknown) =>
      this.log(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    this.shootdown = new LazyPart(async () => {
      const [{ MonitorShootdown }, { bootRoutes }] = await Promise.all([
        import("../vspace/shootdown.js"),
        import("../vspace/routes.js"),
      ]);
      return new MonitorShootdown(this, bootRoutes(boot.shootdown, boot.layout.cores));
    }, failed("shootdown"));
    this.spans = new Spans(this);
    this.mesh = new Mesh(cpu.core, boot.memory, boot.layout, boot.mesh, (ep, k) => this.#bindPeer(ep, k));
    this.capops = new MonitorCapops(this);
    this.retypes = new LazyPart(async () => {
      // A retype's rounds run down the shootdown's route trees: both are loaded before it runs.
      const [{ MonitorRetype }] = await Promise.all([
        import("../capops/retype-2pc.js"),
        this.shootdown.get(),
      ]);
      return new MonitorRetype(this);
    }, failed("retype 2PC"));
    this.lender = new MemLender(this);
    this.bindings = new BindingFrames(this);
  }

  get core(): number {
    return this.cpu.core;
  }

  /** A line on the system console. */
  log(line: string): void {
    this.#console(`[core ${this.core}] ${line}`);
  }

  /** The mesh binding to `core`; throws when it is this core, out of range or dead. */
  peer(core: number): IntermonBinding {
    const p = this.mesh.peer(core);
    if (typeof p === "string") throw new Error(`core ${core} ${p}`);
    return p;
  }

  /** The other cores that are alive, as far as this core knows. */
  liveOthers(): number[] {
    return this.mesh.others.filter((k) => !this.mesh.isDead(k));
  }

  #bindPeer(ep: NonNullable<CoreBoot["mesh"][number]>, k: number): IntermonBinding {
    const m = this;
    const b = Intermon.bind(ep, {
      rx: {
        domain_exited(domid: number, code: number, reason: string) {
          m.domains.childExited(domid, code, reason);
        },
        sd_down: (...a: SdDown) => m.shootdown.use((s) => s.down(k, ...a)),
        sd_up: (...a: SdUp) => m.shootdown.use((s) => s.up(k, ...a)),
        ...spanRx(m),
        capops: (msg: string) => m.capops.onMessage(k, msg),
        capops_delivered: (transfer: string) => m.capops.onDelivered(transfer),
        capops_ram_freed: (base: bigint, bytes: bigint) => m.capops.onRamFreed(k, base, bytes),
        capops_dropped: (cap: string) => m.lender.dropped(k, cap),
        bind_closed: (offset: bigint) => m.bindings.closed(Number(offset), k),
        tpc_down: (...a: TpcDown) => m.retypes.use((r) => r.down(k, ...a)),
        tpc_up: (...a: TpcUp) => m.retypes.use((r) => r.up(k, ...a)),
      },
      rpc: {
        ping: (t: bigint) => ({ t }),
        spawn: async (path: string, args: string, parent: number) => {
          try {
            const id = await m.domains.spawn(path, JSON.parse(args) as string[], parent, k);
            return { domid: id, err: "" };
          } catch (e) {
            return { domid: 0, err: e instanceof Error ? e.message : String(e) };
          }
        },
        name_register: (name: string, iref: number) => ({ err: m.#names().register(name, iref) }),
        name_lookup: async (name: string, timeoutMs: number) => {
          const r = await m.#names().lookup(name, timeoutMs);
          return typeof r === "number" ? { iref: r, err: "" } : { iref: 0, err: r };
        },
        bind: (iref: number, clientCore: number, fp: number) => {
          try {
            const at = m.exports.serve(iref, clientCore, fp);
            return { offset: BigInt(at.offset), lines: at.lines, err: "" };
          } catch (e) {
            return { offset: 0n, lines: 0, err: e instanceof Error ? e.message : String(e) };
          }
        },
        bind_lines: (iref: number, clientCore: number, fp: number, ringLines: number) => {
          try {
            const at = m.exports.serve(iref, clientCore, fp, ringLines);
            return { offset: BigInt(at.offset), lines: at.lines, err: "" };
          } catch (e) {
            return { offset: 0n, lines: 0, err: e instanceof Error ? e.message : String(e) };
          }
        },
        ps: () => ({ json: JSON.stringify(m.ps()) }),
        halt: () => ({ stopped: m.domains.stopAll() }),
        ...spanHandlers(m, k),
        capops_mem_steal: (bytes: bigint) => m.lender.steal(Number(bytes), k),
      },
      onError: (e: ShoalError) => {
        if (e.code !== "PEER_DIED") m.log(`intermon with core ${k}: ${e.code}: ${e.message}`);
      },
    });
    return b;
  }

  #names(): NameServer {
    if (this.names === null) throw new Error(`names are served by core 0, not core ${this.core}`);
    return this.names;
  }

  /** This core's dispatchers, for ps. */
  ps(): PsRow[] {
    return this.cpu.dispatchers.list().map((d) => ({
      id: d.id,
      name: d.name,
      core: d.core,
      state: d.state,
      cpuMs: Math.round(d.cpuMs * 1000) / 1000,
      turns: d.turns,
      messages: d.messages,
      overruns: d.overruns,
      exitCode: d.exitCode,
    }));
  }

  /** Registers a name (on core 0 directly, else through core 0's monitor). */
  async register(name: string, iref: number): Promise<string> {
    if (this.names !== null) return this.names.register(name, iref);
    return (await this.peer(0).rpc.name_register(name, iref)).err;
  }

  /** Looks a name up, waiting up to `timeoutMs`: the iref, or the reason there is none. */
  async lookup(name: string, timeoutMs: number): Promise<number | string> {
    if (this.names !== null) return this.names.lookup(name, timeoutMs);
    const r = await this.peer(0).rpc.name_lookup(name, timeoutMs, { timeoutMs: timeoutMs + 5_000 });
    return r.err === "" ? r.iref : r.err;
  }

  /**
   * The interrupt line says core `core` died: its mesh channel and every binding channel to it are
   * failed (PEER_DIED for whoever waits on them), and its names are dropped.
   */
  coreDied(core: number): void {
    if (this.mesh.isDead(core) || core === this.core) return;
    this.mesh.forget(core);
    const ep = this.boot.mesh[core];
    if (ep !== null && ep !== undefined && ep.transport === "urpc")
      failConnection(this.boot.memory, ep.offset ?? 0, ep.side === 0 ? 1 : 0);
    for (const c of this.exports.connectionsWith(core))
      failConnection(this.boot.memory, c.offset, c.peerSide);
    this.names?.forgetCore(core);
    this.domains.coreDied(core);
    // A part not loaded yet learns the death when it loads.
    this.shootdown.whenLoaded((s) => s.peerDied(core));
    this.spans.coreDied(core);
    this.capops.coreDied(core);
    this.retypes.whenLoaded((r) => r.peerDied(core));
    this.bindings.coreDied(core);
    this.log(`core ${core} is gone; its channels are failed`);
  }

  /**
   * This core's multicast routes from the SKB (monitor/src/skb/routes.ts): asked once, when first
   * wanted (at boot when the SKB boots with the system); a failure is not kept, so a later call asks again.
   */
  routes(): Promise<Routes> {
    if (this.#routes === undefined) {
      // Booted without the SKB, a service may still be started later (the shell's skb): look briefly.
      const p = import("../skb/routes.js").then(({ fetchRoutes, SKB_WAIT_MS }) =>
        fetchRoutes(this, this.boot.skb === true ? SKB_WAIT_MS : 50),
      );
      this.#routes = p;
      p.catch(() => {
        if (this.#routes === p) this.#routes = undefined;
      });
    }
    return this.#routes;
  }

  /** Records a binding channel so that it is failed if its peer's core dies. */
  track(c: Connection): void {
    this.exports.track(c);
  }
}

type SdDown = [bigint, number, number, string, bigint, number];
type SdUp = [bigint, number, string, number, number, string, string];
type TpcDown = [bigint, number, number, string, number, string, string, bigint, number];
type TpcUp = [bigint, number, string, number, number, string, string];
