/**
 * NetStack: an interface, its transports and the poll loop that drives them on a Node event loop. The
 * stack itself is I/O-free; this is the one place that owns timers. It polls when the device wakes it or
 * a socket queues output (`schedule`), and otherwise sleeps until the interface's `pollAt`.
 */

import { performance } from "node:perf_hooks";
import { NetError } from "../errors.js";
import { Interface, type InterfaceConfig } from "../iface/interface.js";
import type { L4Handler } from "../iface/l4.js";
import type { Device } from "../phy/device.js";
import { UdpLayer } from "./udp.js";
import { UdpSocket, type UdpSocketOptions } from "./udp-socket.js";

/** Options of a stack: the interface's configuration plus its device. */
export interface NetStackOptions extends InterfaceConfig {
  readonly device: Device;
  /** Milliseconds, monotonic (default `performance.now()`). */
  readonly clock?: () => number;
  /**
   * Poll in a microtask when scheduled instead of `setImmediate` (default false). For stacks inside a
   * domain: its dispatcher spins on microtasks and lets macrotasks run only every few milliseconds, so
   * an immediate would wait out that slice once per frame. Bounded: after MICROTASK_RUNS polls in a
   * row that each left work behind, the next one is an immediate, so timers and I/O still run.
   */
  readonly eager?: boolean;
}

/** Eager polls in a row that left work behind before one goes through setImmediate. */
const MICROTASK_RUNS = 64;

/** Polls in a row within one event-loop turn before yielding to other callbacks. */
const ROUNDS_PER_TURN = 16;

/** A running stack: interface, UDP (and whatever transports are added) and a poll loop. */
export class NetStack {
  readonly iface: Interface;
  readonly udp: UdpLayer;
  readonly clock: () => number;
  private immediate: NodeJS.Immediate | undefined;
  private readonly eager: boolean;
  private microtaskQueued = false;
  private microtaskRuns = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;
  private readonly sockets = new Set<UdpSocket>();

  constructor(options: NetStackOptions) {
    const { device, clock, eager, ...config } = options;
    this.eager = eager ?? false;
    this.clock = clock ?? (() => performance.now());
    this.iface = new Interface(device, config);
    this.udp = new UdpLayer();
    this.iface.addProtocol(this.udp);
    device.setWaker(() => this.schedule());
    this.schedule();
  }

  /** Register another transport (TCP). */
  addProtocol(handler: L4Handler): void {
    this.iface.addProtocol(handler);
    this.schedule();
  }

  /** A new UDP socket (bind it before receiving; `send` binds an ephemeral port if needed). */
  createUdpSocket(options: UdpSocketOptions = {}): UdpSocket {
    if (this.closed) throw new NetError("CLOSED", "the stack is closed");
    const s = new UdpSocket(this, options);
    this.sockets.add(s);
    s.once("close", () => this.sockets.delete(s));
    return s;
  }

  /** Ask for a poll as soon as the event loop allows (idempotent). */
  schedule(): void {
    if (this.closed || this.immediate !== undefined || this.microtaskQueued) return;
    if (this.eager) {
      this.microtaskQueued = true;
      queueMicrotask(this.runEager);
      return;
    }
    this.immediate = setImmediate(this.runLater);
  }

  private readonly runEager = (): void => {
    this.microtaskQueued = false;
    this.run();
  };

  private readonly runLater = (): void => {
    this.immediate = undefined;
    this.run();
  };

  /** Stop polling, close sockets and the device. */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.sockets].map((s) => s.close()));
    this.closed = true;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = undefined;
    this.iface.device.close?.();
  }

  /** True once `close` ran. */
  get isClosed(): boolean {
    return this.closed;
  }

  private readonly run = (): void => {
    if (this.closed) return;
    let now = this.clock();
    let rounds = 0;
    while (this.iface.poll(now) && ++rounds < ROUNDS_PER_TURN) now = this.clock();
    if (this.closed) return;
    const next = this.iface.pollAt(now);
    if (rounds >= ROUNDS_PER_TURN || next <= now) {
      // Still busy: poll again soon, but let macrotasks in after a bounded run of eager polls.
      if (this.eager && ++this.microtaskRuns >= MICROTASK_RUNS) {
        this.microtaskRuns = 0;
        if (this.immediate === undefined) this.immediate = setImmediate(this.runLater);
      } else this.schedule();
      return;
    }
    this.microtaskRuns = 0;
    if (next === Number.POSITIVE_INFINITY || next >= this.timerAt) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.run();
      },
      Math.max(1, Math.ceil(next - now)),
    );
  };
}
