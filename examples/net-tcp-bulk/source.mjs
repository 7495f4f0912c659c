// The TCP bulk source: a stack at 10.79.0.1 attached to the sink's link; sends args[1] MiB over TCP and
// compares the sink's SHA-256 with its own. Prints a RESULT line (JSON) for the bench and the test.
// args: link name, MiB, link layout ("LINES:BATCH", default DEFAULT_LINK).
import { NetStack, TcpNet } from "@shoal/net";
import { connectLink, parseLink } from "../net-common/link.mjs";
import { TCP_BUFFER, tcpSource } from "../net-common/tcp-flow.mjs";

export default async function main(self, args) {
  const mac = "02:00:00:4d:00:01";
  const { device, binding } = await connectLink(self, args[0] ?? "net-tcp-bulk", mac, parseLink(args[2]));
  const stack = new NetStack({ device, mac, ip: "10.79.0.1", prefix: 24, eager: true });
  const tcp = new TcpNet(stack, { config: { rxBufferSize: TCP_BUFFER, txBufferSize: TCP_BUFFER } });
  const total = Math.round(Number(args[1] ?? 10) * 2 ** 20);
  const r = await tcpSource(tcp, "10.79.0.2", 5001, total);
  self.log(
    `loopback TCP core ${self.core} -> sink over ${binding.transport}: ${r.mbitPerS.toFixed(0)} Mbit/s, ` +
      `${r.received}/${r.sent} bytes in ${r.seconds.toFixed(2)} s, SHA-256 ${r.intact ? "matches" : "DIFFERS"}`,
  );
  self.log(`RESULT ${JSON.stringify({ ...r, transport: binding.transport, device: device.stats })}`);
  tcp.close();
  await stack.close();
  return r.intact ? 0 : 1;
}
