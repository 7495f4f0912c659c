/**
 * The device interface between the interface (`iface/`) and a link: Ethernet II frames in and out, without
 * the FCS. As smoltcp's `Device`, a device does no protocol work; unlike smoltcp's tokens, transmit takes a
 * fill callback so the frame is written once into the buffer the device will send.
 */

/** What a device tells the stack about itself. */
export interface DeviceCapabilities {
  /** Largest frame, Ethernet header included, FCS excluded (1514 for a standard 1500-byte MTU). */
  readonly maxFrame: number;
  /**
   * True when received frames are never reused by the device (each is fresh memory: the pair device's
   * slab frames, Node's per-datagram Buffers). Transports may then keep views into received payloads
   * instead of copying them out.
   */
  readonly rxFramesRetained?: boolean;
}

/** A link that carries Ethernet frames. */
export interface Device {
  readonly capabilities: DeviceCapabilities;
  /**
   * The next received frame, or undefined when none is waiting. The stack may read it until the next call
   * to `receive`; the device must not reuse the buffer before then.
   */
  receive(now: number): Uint8Array | undefined;
  /**
   * Send one frame of `length` bytes: `fill` is called synchronously with a zeroed view of exactly `length`
   * bytes. Returns false (without calling `fill`) when the device cannot take a frame now.
   */
  transmit(now: number, length: number, fill: (frame: Uint8Array) => void): boolean;
  /**
   * Register the function the device calls when frames arrive (or its tx queue drains) so a poll loop can
   * sleep between events. Devices driven only by explicit polling may ignore it.
   */
  setWaker(wake: () => void): void;
  /** The earliest time the device has a frame to deliver (delay-line devices); Infinity when none. */
  pollAt?(now: number): number;
  /** Release OS resources (sockets, processes). Idempotent. */
  close?(): void;
}
