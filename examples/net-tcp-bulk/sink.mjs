// The TCP bulk sink: a stack at 10.79.0.2 behind an exported net_frames link, TCP port 5001.
// args: link name, link layout ("LINES:BATCH", default DEFAULT_LINK).
import { NetStack, TcpNet } from "@shoal/net";
import { parseLink, serveLink } from "../net-common/link.mjs";
import { TCP_BUFFER, tcpSink } from "../net-common/tcp-flow.mjs";

export default async function main(self, args) {
  const { device } = await serveLink(self, args[0] ?? "net-tcp-bulk", parseLink(args[1]));
  const stack = new NetStack({ device, mac: "02:00:00:4d:00:02", ip: "10.79.0.2", prefix: 24, eager: true });
  const tcp = new TcpNet(stack, { config: { rxBufferSize: TCP_BUFFER, txBufferSize: TCP_BUFFER } });
  self.log(`tcp-sink: stack 10.79.0.2 on core ${self.core}, TCP port 5001`);
  const r = await tcpSink(tcp, 5001);
  self.log(`tcp-sink: ${r.bytes} bytes`);
  tcp.close();
  await stack.close();
  return 0;
}
