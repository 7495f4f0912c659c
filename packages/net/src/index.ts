/**
 * @shoal/net: a network stack in smoltcp's spirit. `wire/` packet views and parsed forms, `iface/` the
 * interface (Ethernet, ARP, IPv4, ICMP and the transport seam), `socket/` sockets and the poll loop (UDP
 * here; TCP in `tcp/`), `phy/` devices (pair, fault injection, TAP through socat).
 */

export { isNetError, NetError, type NetErrorCode } from "./errors.js";
export { Interface, type InterfaceConfig } from "./iface/interface.js";
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
export { NeighborCache, type NeighborOptions } from "./iface/neighbor.js";
export { Reassembler, type ReassemblyOptions } from "./iface/reassembly.js";
export { type DropCounters, type InterfaceStats, totalDrops } from "./iface/stats.js";
export {
  BatchDevice,
  type BatchDeviceOptions,
  type BatchDeviceStats,
  type FramePort,
  splitBatch,
} from "./phy/batch-device.js";
export type { Device, DeviceCapabilities } from "./phy/device.js";
export { FaultDevice, type FaultOptions, type FaultStats } from "./phy/fault.js";
export { PairDevice, type PairOptions, type PairStats, pairDevices } from "./phy/pair.js";
export { Rng } from "./phy/rng.js";
export { frameSlab, SLAB_BYTES, Slab } from "./phy/slab.js";
export { UdpTunnelDevice, type UdpTunnelOptions, type UdpTunnelStats } from "./phy/udp-tunnel.js";
export { NetStack, type NetStackOptions } from "./socket/stack.js";
export { UdpEndpoint, type UdpInput, UdpLayer, type UdpStats } from "./socket/udp.js";
export { type RemoteInfo, type UdpMessage, UdpSocket, type UdpSocketOptions } from "./socket/udp-socket.js";
// TCP (net-tcp's src/tcp/): segments, the state machine, the socket API and the Node duplex adapter.
export * from "./tcp/index.js";
export {
  formatIpv4,
  formatMac,
  IPV4_BROADCAST,
  MAC_BROADCAST,
  parseIpv4,
  parseMac,
} from "./wire/address.js";
export { ARP_REPLY, ARP_REQUEST, Arp, type ArpRepr } from "./wire/arp.js";
export { checksum, foldSum, onesSum, pseudoHeaderSum } from "./wire/checksum.js";
export { DROP_REASONS, type DropReason, isDrop } from "./wire/drop.js";
export {
  ETH_HEADER_LEN,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  Ethernet,
  EthernetFrame,
  type EthernetRepr,
} from "./wire/ethernet.js";
export { hex, toHex } from "./wire/hex.js";
export { Icmp, type IcmpRepr } from "./wire/icmp.js";
export {
  IP_HEADER_LEN,
  IP_PROTO_ICMP,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  Ipv4,
  type Ipv4EmitRepr,
  type Ipv4Repr,
} from "./wire/ipv4.js";
export { UDP_HEADER_LEN, Udp, type UdpRepr } from "./wire/udp.js";
