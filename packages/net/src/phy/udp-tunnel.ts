/**
 * A device whose frames travel as UDP datagrams, one Ethernet frame per datagram: the stack's end of the
 * socat TAP bridge (`scripts/tap-netns.sh`), or of any "Ethernet over UDP" peer. Runs on Node's `dgram`.
 */

import { createSocket, type Socket } from "node:dgram";
import { NetError } from "../errors.js";
import type { Device, DeviceCapabilities } from "./device.js";
import { FrameQueue } from "./frame-queue.js";

/** Where the tunnel listens and where it sends. */
export interface UdpTunnelOptions {
  /** Local port on `localAddress` (0: any; read the bound port from `port` after `open`). */
  readonly localPort: number;
  readonly localAddress?: string;
  /** The peer (socat) port and address frames are sent to. */
  readonly remotePort: number;
  readonly remoteAddress?: string;
  /** Frames held before received ones are dropped (default 1024). */
  readonly rxQueue?: number;
  /** Sends in flight inside Node before transmit refuses (default 256). */
  readonly maxInFlight?: number;
  /** Largest frame (default 1514). */
  readonly maxFrame?: number;
}

/** Counters of a tunnel. */
export interface UdpTunnelStats {
  rxFrames: number;
  txFrames: number;
  rxDropped: number;
  txRefused: number;
  txErrors: number;
}

/** Ethernet frames over a UDP socket. Create with `UdpTunnelDevice.open`. */
export class UdpTunnelDevice implements Device {
  readonly capabilities: DeviceCapabilities;
  readonly stats: UdpTunnelStats = { rxFrames: 0, txFrames: 0, rxDropped: 0, txRefused: 0, txErrors: 0 };
  private readonly rx: FrameQueue;
  private wake: () => void = () => {};
  private inFlight = 0;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly options: UdpTunnelOptions,
  ) {
    // Node hands each datagram over in a Buffer of its own: never reused.
    this.capabilities = { maxFrame: options.maxFrame ?? 1514, rxFramesRetained: true };
    this.rx = new FrameQueue(options.rxQueue ?? 1024);
    socket.on("message", (msg) => {
      if (msg.length > this.capabilities.maxFrame || !this.rx.push(msg)) {
        this.stats.rxDropped++;
        return;
      }
      this.stats.rxFrames++;
      if (this.rx.length === 1) this.wake();
    });
    socket.on("error", () => {
      this.stats.txErrors++;
    });
  }

  /** Bind the socket and return the device. Rejects with NetError DEVICE when binding fails. */
  static open(options: UdpTunnelOptions): Promise<UdpTunnelDevice> {
    const socket = createSocket("udp4");
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => {
        socket.close();
        reject(
          new NetError(
            "DEVICE",
            `cannot bind UDP ${options.localAddress ?? "127.0.0.1"}:${options.localPort}: ${e.message}`,
            { cause: e },
          ),
        );
      };
      socket.once("error", onError);
      socket.bind(options.localPort, options.localAddress ?? "127.0.0.1", () => {
        socket.off("error", onError);
        resolve(new UdpTunnelDevice(socket, options));
      });
    });
  }

  /** The bound local port. */
  get port(): number {
    return this.socket.address().port;
  }

  receive(_now: number): Uint8Array | undefined {
    return this.rx.shift();
  }

  transmit(_now: number, length: number, fill: (frame: Uint8Array) => void): boolean {
    if (this.closed) return true;
    if (length > this.capabilities.maxFrame) return false;
    if (this.inFlight >= (this.options.maxInFlight ?? 256)) {
      this.stats.txRefused++;
      return false;
    }
    const frame = Buffer.alloc(length);
    fill(frame);
    this.inFlight++;
    this.stats.txFrames++;
    this.socket.send(frame, this.options.remotePort, this.options.remoteAddress ?? "127.0.0.1", (err) => {
      this.inFlight--;
      if (err) this.stats.txErrors++;
      // A refused transmit left work pending in the stack: let it retry now that there is room.
      if (this.inFlight === 0) this.wake();
    });
    return true;
  }

  setWaker(wake: () => void): void {
    this.wake = wake;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rx.clear();
    this.socket.close();
  }
}
