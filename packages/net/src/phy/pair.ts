/**
 * Two in-memory devices joined back to back: what one transmits the other receives, in order. Used by
 * tests and the bench (two stacks in one thread), and under `FaultDevice` by the TCP harness.
 */

import { NetError } from "../errors.js";
import type { Device, DeviceCapabilities } from "./device.js";
import { FrameQueue } from "./frame-queue.js";
import { frameSlab } from "./slab.js";

/** Options of a device pair. */
export interface PairOptions {
  /** Largest frame (default 1514). */
  readonly maxFrame?: number;
  /** Frames each direction holds before transmit refuses (default 512). */
  readonly queueLimit?: number;
}

/** Counters of one end. */
export interface PairStats {
  txFrames: number;
  rxFrames: number;
  /** Transmits refused because the peer's queue was full. */
  txFull: number;
}

/** One end of a pair. */
export class PairDevice implements Device {
  readonly capabilities: DeviceCapabilities;
  readonly stats: PairStats = { txFrames: 0, rxFrames: 0, txFull: 0 };
  private readonly rx: FrameQueue;
  private peer: PairDevice | undefined;
  private wake: () => void = () => {};
  private closed = false;

  constructor(maxFrame: number, queueLimit: number) {
    // Frames are slab memory handed over for good: never reused (see slab.ts).
    this.capabilities = { maxFrame, rxFramesRetained: true };
    this.rx = new FrameQueue(queueLimit);
  }

  /** Join two ends (done by `pairDevices`). */
  static link(a: PairDevice, b: PairDevice): void {
    a.peer = b;
    b.peer = a;
  }

  receive(_now: number): Uint8Array | undefined {
    const f = this.rx.shift();
    if (f !== undefined) this.stats.rxFrames++;
    return f;
  }

  transmit(_now: number, length: number, fill: (frame: Uint8Array) => void): boolean {
    const peer = this.peer;
    if (peer === undefined || this.closed || peer.closed) return true; // a cut cable: frames vanish
    if (length > this.capabilities.maxFrame) return false;
    if (peer.rx.length >= peer.rx.limit) {
      this.stats.txFull++;
      return false;
    }
    const frame = frameSlab.alloc(length);
    fill(frame);
    this.stats.txFrames++;
    peer.deliver(frame);
    return true;
  }

  /** Put a frame straight into this end's receive queue (tests inject raw bytes this way). */
  deliver(frame: Uint8Array): boolean {
    const wasEmpty = this.rx.length === 0;
    if (!this.rx.push(frame)) return false;
    if (wasEmpty) this.wake();
    return true;
  }

  setWaker(wake: () => void): void {
    this.wake = wake;
  }

  close(): void {
    this.closed = true;
    this.rx.clear();
  }
}

/** Two devices joined back to back. */
export function pairDevices(options: PairOptions = {}): [PairDevice, PairDevice] {
  const maxFrame = options.maxFrame ?? 1514;
  const queueLimit = options.queueLimit ?? 512;
  if (!Number.isInteger(maxFrame) || maxFrame < 60 || maxFrame > 65535) {
    throw new NetError("BAD_OPTION", `maxFrame must be an integer in 60..65535, got ${maxFrame}`);
  }
  if (!Number.isInteger(queueLimit) || queueLimit < 1) {
    throw new NetError("BAD_OPTION", `queueLimit must be a positive integer, got ${queueLimit}`);
  }
  const a = new PairDevice(maxFrame, queueLimit);
  const b = new PairDevice(maxFrame, queueLimit);
  PairDevice.link(a, b);
  return [a, b];
}
