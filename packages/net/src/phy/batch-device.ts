/**
 * A device over a message channel: Ethernet frames batched into messages (the net_frames interface's
 * `frames(count, data)`), so two stacks in different domains, or a stack and the NIC driver domain, talk
 * over URPC. The device knows nothing of bindings: it is given a `FramePort` (how to send one batch) and
 * is handed the batches that arrive (`deliverBatch`). A batch is `count` frames back to back, each a
 * 2-byte big-endian length and its bytes. Frames a poll loop writes in one event-loop turn go out as one
 * message at the end of that turn (a microtask), which is what makes the channel cheap per frame.
 */

import { NetError } from "../errors.js";
import type { Device, DeviceCapabilities } from "./device.js";
import { FrameQueue } from "./frame-queue.js";

/**
 * How a batch device sends: one call per batch; the promise settles when the channel took it (copied it
 * into its ring, or into the receiver's memory). `data` is the device's until then: once the promise
 * settles the device reuses that memory for a later batch, so a port must not keep it.
 */
export interface FramePort {
  send(count: number, data: Uint8Array): Promise<void>;
}

/** Options of a batch device. */
export interface BatchDeviceOptions {
  /** Largest frame (default 1514). */
  readonly maxFrame?: number;
  /** Bytes of one batch message, length prefixes included (default 16384, net_frames' bound). */
  readonly batchBytes?: number;
  /** Batches in flight (sent, not yet taken by the channel) before transmit refuses (default 32). */
  readonly inFlightLimit?: number;
  /** Received frames held before further ones are dropped (default 1024). */
  readonly rxLimit?: number;
}

/** Counters of a batch device. */
export interface BatchDeviceStats {
  txFrames: number;
  txBatches: number;
  rxFrames: number;
  rxBatches: number;
  /** Transmits refused because too many batches were in flight. */
  txFull: number;
  /** Received frames dropped because the receive queue was full. */
  rxDropped: number;
  /** Received batches that did not parse (dropped whole). */
  rxMalformed: number;
  /** Sends that failed (the channel closed). */
  txErrors: number;
}

/** Parse a batch into its frames (views into `data`); undefined when it does not parse exactly. */
export function splitBatch(count: number, data: Uint8Array, maxFrame = 65535): Uint8Array[] | undefined {
  const frames: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 2 > data.length) return undefined;
    const len = ((data[at] as number) << 8) | (data[at + 1] as number);
    at += 2;
    if (len === 0 || len > maxFrame || at + len > data.length) return undefined;
    frames.push(data.subarray(at, at + len));
    at += len;
  }
  return at === data.length ? frames : undefined;
}

/** A device whose link is a message channel carrying batches of frames. */
export class BatchDevice implements Device {
  readonly capabilities: DeviceCapabilities;
  readonly stats: BatchDeviceStats = {
    txFrames: 0,
    txBatches: 0,
    rxFrames: 0,
    rxBatches: 0,
    txFull: 0,
    rxDropped: 0,
    rxMalformed: 0,
    txErrors: 0,
  };
  private readonly batchBytes: number;
  private readonly inFlightLimit: number;
  private readonly rx: FrameQueue;
  private batch: Uint8Array;
  /** Batch buffers whose sends settled, zeroed, for the next batches (at most inFlightLimit). */
  private readonly spare: Uint8Array[] = [];
  private used = 0;
  private count = 0;
  private flushQueued = false;
  private inFlight = 0;
  private wake: () => void = () => {};
  private closed = false;
  /** The last send failure (for diagnostics). */
  lastError: unknown;

  constructor(
    private readonly port: FramePort,
    options: BatchDeviceOptions = {},
  ) {
    const maxFrame = options.maxFrame ?? 1514;
    this.batchBytes = options.batchBytes ?? 16384;
    this.inFlightLimit = options.inFlightLimit ?? 32;
    if (!Number.isInteger(maxFrame) || maxFrame < 60 || maxFrame > 65535) {
      throw new NetError("BAD_OPTION", `maxFrame must be an integer in 60..65535, got ${maxFrame}`);
    }
    if (!Number.isInteger(this.batchBytes) || this.batchBytes < maxFrame + 2) {
      throw new NetError("BAD_OPTION", `batchBytes must hold one frame (>= ${maxFrame + 2})`);
    }
    // Received frames are views into the batch the channel handed over (fresh memory per message).
    this.capabilities = { maxFrame, rxFramesRetained: true };
    this.rx = new FrameQueue(options.rxLimit ?? 1024);
    this.batch = new Uint8Array(this.batchBytes);
  }

  receive(_now: number): Uint8Array | undefined {
    const f = this.rx.shift();
    if (f !== undefined) this.stats.rxFrames++;
    return f;
  }

  transmit(_now: number, length: number, fill: (frame: Uint8Array) => void): boolean {
    if (this.closed) return true; // a cut cable: frames vanish
    if (length < 1 || length > this.capabilities.maxFrame) return false;
    if (this.used + 2 + length > this.batchBytes) {
      if (this.inFlight >= this.inFlightLimit) {
        this.stats.txFull++;
        return false;
      }
      this.flush();
    }
    const b = this.batch;
    b[this.used] = length >>> 8;
    b[this.used + 1] = length & 0xff;
    // Batch memory is zeroed (fresh, or zeroed when its send settled): so is the frame.
    const view = b.subarray(this.used + 2, this.used + 2 + length);
    fill(view);
    this.used += 2 + length;
    this.count++;
    this.stats.txFrames++;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushLater);
    }
    return true;
  }

  /** Hand a received batch to the device (the binding's `frames` handler calls this). */
  deliverBatch(count: number, data: Uint8Array): void {
    if (this.closed) return;
    const frames = splitBatch(count, data, this.capabilities.maxFrame);
    if (frames === undefined) {
      this.stats.rxMalformed++;
      return;
    }
    this.stats.rxBatches++;
    const wasEmpty = this.rx.length === 0;
    for (const f of frames) if (!this.rx.push(f)) this.stats.rxDropped++;
    if (wasEmpty && this.rx.length > 0) this.wake();
  }

  setWaker(wake: () => void): void {
    this.wake = wake;
  }

  /** Frames written but not yet sent, and batches sent but not yet taken by the channel. */
  get pending(): { frames: number; batches: number } {
    return { frames: this.count, batches: this.inFlight };
  }

  close(): void {
    this.closed = true;
    this.rx.clear();
  }

  private readonly flushLater = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  /** Send the open batch (if any) as one message; a fresh buffer takes the next frames. */
  private flush(): void {
    if (this.count === 0) return;
    const buffer = this.batch;
    const used = this.used;
    const count = this.count;
    // A buffer whose batch the channel took, else a fresh one: an off-heap allocation per batch showed
    // as 2.5% of the driver domain's time (and a 256 KiB slab per 16 batches as much: its pages fault).
    this.batch = this.spare.pop() ?? new Uint8Array(this.batchBytes);
    this.used = 0;
    this.count = 0;
    this.inFlight++;
    this.stats.txBatches++;
    this.port.send(count, buffer.subarray(0, used)).then(
      () => {
        this.recycle(buffer, used);
        this.settled();
      },
      (error: unknown) => {
        this.recycle(buffer, used);
        this.failed(error);
      },
    );
  }

  /** The channel took the batch in `buffer`: zero what it used and keep it for a later batch. */
  private recycle(buffer: Uint8Array, used: number): void {
    if (this.closed || this.spare.length >= this.inFlightLimit) return;
    buffer.fill(0, 0, used);
    this.spare.push(buffer);
  }

  private readonly settled = (): void => {
    // A transmit may have been refused while the window was full: let the poll loop try again.
    if (this.inFlight-- >= this.inFlightLimit) this.wake();
  };

  private readonly failed = (error: unknown): void => {
    this.stats.txErrors++;
    this.lastError = error;
    this.settled();
  };
}
