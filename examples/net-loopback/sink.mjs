// The loopback sink: a stack at 10.78.0.2 behind an exported net_frames link, a UDP sink on port 7000.
// args: link name, link layout ("LINES:BATCH", default DEFAULT_LINK).
import { NetStack } from "@shoal/net";
import { parseLink, serveLink } from "../net-common/link.mjs";
import { udpSink } from "../net-common/udp-flow.mjs";

export default async function main(self, args) {
  const { device } = await serveLink(self, args[0] ?? "net-loopback", parseLink(args[1]));
  const stack = new NetStack({ device, mac: "02:00:00:4c:00:02", ip: "10.78.0.2", prefix: 24, eager: true });
  self.log(`sink: stack 10.78.0.2 on core ${self.core}, UDP port 7000`);
  await udpSink(stack, 7000);
  return 0;
}
