/**
 * A device wrapper that injects faults on transmit, from a seed: drop, duplicate, delay (which reorders:
 * a delayed frame is overtaken by later ones) and corrupt (one byte flipped). As smoltcp's
 * `FaultInjector`, it sits between an interface and a real device, so the stack under test is unchanged.
 * Delayed frames are released from `receive`/`transmit`/`pollAt` once the caller's clock passes their
 * due time, so a simulated clock drives it as well as a real one.
 */

import { NetError } from "../errors.js";
import type { Device, DeviceCapabilities } from "./device.js";
import { Rng } from "./rng.js";

/** Fault probabilities (each in [0, 1]) and the seed. */
export interface FaultOptions {
  readonly seed: number;
  readonly drop?: number;
  readonly duplicate?: number;
  /** Probability that a frame is delayed by a uniform 1..reorderDelayMs ms. */
  readonly reorder?: number;
  readonly reorderDelayMs?: number;
  readonly corrupt?: number;
}

/** What the injector did. */
export interface FaultStats {
  passed: number;
  dropped: number;
  duplicated: number;
  delayed: number;
  corrupted: number;
}

interface Held {
  readonly due: number;
  readonly frame: Uint8Array;
}

/** Wraps `inner`, faulting what is transmitted through it. Received frames pass unchanged. */
export class FaultDevice implements Device {
  readonly capabilities: DeviceCapabilities;
  readonly stats: FaultStats = { passed: 0, dropped: 0, duplicated: 0, delayed: 0, corrupted: 0 };
  private readonly rng: Rng;
  private readonly held: Held[] = [];
  private readonly p: Required<Omit<FaultOptions, "seed">>;

  constructor(
    readonly inner: Device,
    options: FaultOptions,
  ) {
    this.capabilities = inner.capabilities;
    this.rng = new Rng(options.seed);
    this.p = {
      drop: options.drop ?? 0,
      duplicate: options.duplicate ?? 0,
      reorder: options.reorder ?? 0,
      reorderDelayMs: options.reorderDelayMs ?? 10,
      corrupt: options.corrupt ?? 0,
    };
    for (const k of ["drop", "duplicate", "reorder", "corrupt"] as const) {
      const v = this.p[k];
      if (!(v >= 0 && v <= 1)) throw new NetError("BAD_OPTION", `fault ${k} must be in [0, 1], got ${v}`);
    }
    if (!(this.p.reorderDelayMs >= 1)) {
      throw new NetError("BAD_OPTION", `reorderDelayMs must be >= 1, got ${this.p.reorderDelayMs}`);
    }
  }

  receive(now: number): Uint8Array | undefined {
    this.release(now);
    return this.inner.receive(now);
  }

  transmit(now: number, length: number, fill: (frame: Uint8Array) => void): boolean {
    this.release(now);
    const { rng, p } = this;
    if (rng.chance(p.drop)) {
      // The sender still writes its frame (its bookkeeping may happen in fill), into a throwaway buffer.
      fill(new Uint8Array(length));
      this.stats.dropped++;
      return true;
    }
    const corrupt = rng.chance(p.corrupt);
    const dup = rng.chance(p.duplicate);
    const delay = rng.chance(p.reorder);
    if (!corrupt && !dup && !delay) {
      this.stats.passed++;
      return this.inner.transmit(now, length, fill);
    }
    const frame = new Uint8Array(length);
    fill(frame);
    if (corrupt) {
      const i = rng.int(length);
      frame[i] = (frame[i] as number) ^ (1 << rng.int(8));
      this.stats.corrupted++;
    }
    if (delay) {
      this.held.push({ due: now + 1 + rng.int(p.reorderDelayMs), frame });
      this.stats.delayed++;
    } else {
      this.send(now, frame);
    }
    if (dup) {
      this.stats.duplicated++;
      this.send(now, frame);
    }
    return true;
  }

  setWaker(wake: () => void): void {
    this.inner.setWaker(wake);
  }

  pollAt(now: number): number {
    let t = this.inner.pollAt?.(now) ?? Number.POSITIVE_INFINITY;
    for (const h of this.held) if (h.due < t) t = h.due;
    return t;
  }

  close(): void {
    this.held.length = 0;
    this.inner.close?.();
  }

  private send(now: number, frame: Uint8Array): void {
    this.inner.transmit(now, frame.length, (f) => f.set(frame));
  }

  private release(now: number): void {
    if (this.held.length === 0) return;
    for (let i = 0; i < this.held.length; ) {
      const h = this.held[i] as Held;
      if (h.due <= now) {
        this.held.splice(i, 1);
        this.send(now, h.frame);
      } else {
        i++;
      }
    }
  }
}
