/**
 * TCP for @shoal/net: segment views (`segment.ts`), the socket state machine (`socket.ts`, `input.ts`,
 * `output.ts`), its parts (ring buffers, reassembly, RTT, NewReno), the layer that plugs into an
 * `Interface`, and the promise/duplex API over a `NetStack`.
 */

export { Assembler } from "./assembler.js";
export { DEFAULT_TCP_CONFIG, type TcpConfig, tcpConfig } from "./config.js";
export { NewReno } from "./congestion.js";
export { TcpConnection } from "./connection.js";
export { TcpDuplex } from "./duplex.js";
export { acceptable, resetReply } from "./input.js";
export { TcpLayer, type TcpLayerOptions, type TcpLayerStats, TcpListener } from "./layer.js";
export { LinkSim, type LinkSimOptions } from "./link-sim.js";
export { MAX_WINDOW_SCALE, parseOptions, type TcpOptions, writeOptions } from "./options.js";
export { RingBuffer } from "./ring-buffer.js";
export { RttEstimator, type RttOptions } from "./rtt.js";
export {
  ACK,
  FIN,
  flagNames,
  PSH,
  RST,
  SYN,
  TCP_HEADER_LEN,
  Tcp,
  TcpPacket,
  type TcpRepr,
  URG,
} from "./segment.js";
export { seqAdd, seqGe, seqGt, seqLe, seqLt, seqSub } from "./seq.js";
export { TcpServer, type TcpServerEvents } from "./server.js";
export {
  type TcpEmit,
  type TcpEndpoint,
  type TcpIp,
  TcpSocket,
  type TcpSocketHooks,
  type TcpSocketStats,
  type TcpState,
} from "./socket.js";
export { type TcpConnectOptions, TcpNet, type TcpNetOptions } from "./tcp-net.js";
