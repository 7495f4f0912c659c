/**
 * @shoal/net: a network stack in smoltcp's spirit. `wire/` packet views and parsed forms, `iface/` the
 * interface (Ethernet, ARP, IPv4, ICMP and the transport seam), `socket/` sockets (UDP here; TCP in
 * `tcp/`), `phy/` devices (pair, fault injection, TAP through socat).
 */

export { isNetError, NetError, type NetErrorCode } from "./errors.js";
export type {
  EmitResult,
  IcmpErrorKind,
  IpInfo,
  IpOut,
  IpResolved,
  L4Handler,
  L4InputResult,
  L4Tx,
} from "./iface/l4.js";
export type { Device, DeviceCapabilities } from "./phy/device.js";
export { checksum, foldSum, onesSum, pseudoHeaderSum } from "./wire/checksum.js";
export { hex, toHex } from "./wire/hex.js";
