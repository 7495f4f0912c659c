/**
 * Two hosts, each an `Interface` with a `TcpLayer`, joined by an in-memory link (optionally through a
 * seeded `FaultDevice` on each direction), driven on a virtual clock: `run` polls both until a condition
 * holds, advancing `now` to the next timer instead of sleeping. Used by the lossy-link tests and the
 * bench (with `clock` set to the real time, the same loop measures the stack's own speed).
 */

import { Interface } from "../iface/interface.js";
import type { Device } from "../phy/device.js";
import { FaultDevice, type FaultOptions } from "../phy/fault.js";
import { pairDevices } from "../phy/pair.js";
import type { TcpConfig } from "./config.js";
import { TcpLayer } from "./layer.js";

/** The two hosts' addresses (the same as the package's test fixtures). */
export const SIM_A_IP = 0x0a4d0001;
export const SIM_B_IP = 0x0a4d0002;

/** Options of a simulated link. */
export interface LinkSimOptions {
  /** Faults on a → b and b → a (each with its own seed); none when absent. */
  readonly faultsAtoB?: FaultOptions;
  readonly faultsBtoA?: FaultOptions;
  readonly config?: Partial<TcpConfig>;
  /** Frames each direction holds (default 512). */
  readonly queueLimit?: number;
  /** Real-time mode: read the clock instead of jumping to the next timer. */
  readonly clock?: () => number;
}

/** Two TCP hosts over one link. */
export class LinkSim {
  readonly a: Interface;
  readonly b: Interface;
  readonly tcpA: TcpLayer;
  readonly tcpB: TcpLayer;
  readonly faults: FaultDevice[] = [];
  now = 0;
  /** Polls made, and idle jumps of the virtual clock. */
  polls = 0;
  jumps = 0;

  constructor(private readonly options: LinkSimOptions = {}) {
    const [da, db] = pairDevices({ queueLimit: options.queueLimit ?? 512 });
    const wrap = (d: Device, f: FaultOptions | undefined): Device => {
      if (f === undefined) return d;
      const fd = new FaultDevice(d, f);
      this.faults.push(fd);
      return fd;
    };
    this.a = new Interface(wrap(da, options.faultsAtoB), {
      mac: 0x020000000001,
      ip: SIM_A_IP,
      gratuitousArp: false,
    });
    this.b = new Interface(wrap(db, options.faultsBtoA), {
      mac: 0x020000000002,
      ip: SIM_B_IP,
      gratuitousArp: false,
    });
    const config = options.config ?? {};
    this.tcpA = new TcpLayer({ config, isnSecret: 0x1234 });
    this.tcpB = new TcpLayer({ config, isnSecret: 0x5678 });
    this.a.addProtocol(this.tcpA);
    this.b.addProtocol(this.tcpB);
    if (options.clock !== undefined) this.now = options.clock();
  }

  /** One round: poll both; when nothing moved, move the clock to the next timer. False when idle forever. */
  step(): boolean {
    const clock = this.options.clock;
    if (clock !== undefined) this.now = clock();
    this.polls++;
    const x = this.a.poll(this.now);
    const y = this.b.poll(this.now);
    if (x || y) return true;
    const t = Math.min(this.a.pollAt(this.now), this.b.pollAt(this.now));
    if (t === Number.POSITIVE_INFINITY) return false;
    if (clock === undefined) {
      this.jumps++;
      // A timer "due now" that produced nothing still moves time on, so the loop cannot stall.
      this.now = Math.max(t, this.now + 0.001);
    }
    return true;
  }

  /** Step until `done()` or `maxTime` (virtual ms) passes; returns whether `done()` became true. */
  run(done: () => boolean, maxTime = 3_600_000): boolean {
    const end = this.now + maxTime;
    while (!done()) {
      if (this.now > end || !this.step()) return done();
    }
    return true;
  }
}
