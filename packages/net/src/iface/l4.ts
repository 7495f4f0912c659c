/**
 * How a transport protocol (UDP, TCP, ...) plugs into an interface. The interface owns Ethernet, ARP and
 * IPv4; a transport sees only its payload. Input payloads are views into the received frame, valid only
 * during the call (copy what you keep). Output is written once, straight into the frame that will go on the
 * wire: the interface reserves the Ethernet and IP headers and hands `write` a view of exactly
 * `payloadLength` bytes, so no layer copies another's bytes.
 */

import type { DropReason } from "../wire/drop.js";

/** The IPv4 fields a transport sees on input. Addresses are uint32 numbers (10.0.0.1 = 0x0a000001). */
export interface IpInfo {
  readonly src: number;
  readonly dst: number;
  readonly protocol: number;
  readonly ttl: number;
}

/** The addresses of an outgoing datagram. `src` 0 means "the interface's address". */
export interface IpOut {
  readonly src: number;
  readonly dst: number;
  readonly protocol: number;
  /** Defaults to the interface's TTL (64). */
  readonly ttl?: number;
}

/** The addresses as the interface resolved them, passed to `write` (for pseudo-header checksums). */
export interface IpResolved {
  readonly src: number;
  readonly dst: number;
}

/**
 * The result of an emit.
 * - `sent`: the frame went to the device.
 * - `queued`: the neighbour is being resolved; the frame is held (bounded) and goes when ARP answers.
 * - `no-buffer`: the device or the ARP pending queue is full; nothing was written, try again later.
 * - `unreachable`: no route, or resolution for that neighbour already failed; nothing was written.
 * - `too-big`: payloadLength exceeds the largest IPv4 payload (65515); nothing was written. Payloads over
 *   `maxPayload` are fragmented by the interface (written once into a scratch buffer, then copied into
 *   the fragments); TCP keeps its segments within `maxPayload` and never pays that copy.
 */
export type EmitResult = "sent" | "queued" | "no-buffer" | "unreachable" | "too-big";

/** What a transport uses to send. */
export interface L4Tx {
  /** The most payload one IPv4 datagram carries on this interface (MTU minus the IPv4 header). */
  readonly maxPayload: number;
  /**
   * True when input payload views stay valid after `input` returns (the device never reuses frame memory;
   * `DeviceCapabilities.rxFramesRetained`), so a transport may keep them instead of copying.
   */
  readonly payloadsRetained?: boolean;
  /**
   * Send one datagram of `payloadLength` bytes. `write` is called at most once, synchronously, before
   * emit returns, with a view of the payload bytes (zeroed) and the resolved addresses; it must fill every
   * byte it cares about including its own checksum (see `pseudoHeaderSum`).
   */
  emit(ip: IpOut, payloadLength: number, write: (payload: Uint8Array, ip: IpResolved) => void): EmitResult;
}

/**
 * What `input` tells the interface.
 * - `accepted`: consumed (or dropped by the transport for its own reasons, counted there).
 * - `port-unreachable`: no socket wants it; the interface answers ICMP port unreachable (UDP does this;
 *   TCP answers RST itself and returns `accepted`).
 * - `malformed`, or a precise `DropReason` (`bad-checksum`, `truncated`, ...): the interface counts it as a
 *   drop of the transport layer (`malformed` counts as `bad-field`).
 */
export type L4InputResult = "accepted" | "port-unreachable" | "malformed" | DropReason;

/** A transport protocol registered on an interface, one per IP protocol number. */
export interface L4Handler {
  /** IP protocol number (6 TCP, 17 UDP). */
  readonly protocol: number;
  /** One received datagram addressed to this host. `payload` is a view valid only during the call. */
  input(now: number, ip: IpInfo, payload: Uint8Array, tx: L4Tx): L4InputResult;
  /** Send whatever is due at `now` (queued data, retransmissions, timers). */
  dispatch(now: number, tx: L4Tx): void;
  /** The earliest time `dispatch` has work (ms, same clock as `now`); `Infinity` when idle. */
  pollAt(now: number): number;
  /** An ICMP destination-unreachable for a datagram this protocol sent (the quoted header's ports inside). */
  icmpError?(now: number, kind: IcmpErrorKind, ip: IpInfo, quoted: Uint8Array): void;
}

/** ICMP errors delivered to transports. */
export type IcmpErrorKind = "port-unreachable" | "host-unreachable" | "protocol-unreachable" | "frag-needed";
