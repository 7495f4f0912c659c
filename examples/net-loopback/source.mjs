// The loopback source: a stack at 10.78.0.1 attached to the sink's link; sends 1000-byte datagrams.
// args: link name, count, payload bytes, link layout ("LINES:BATCH", default DEFAULT_LINK).
import { NetStack } from "@shoal/net";
import { connectLink, parseLink } from "../net-common/link.mjs";
import { udpSource } from "../net-common/udp-flow.mjs";

export default async function main(self, args) {
  const mac = "02:00:00:4c:00:01";
  const { device, binding } = await connectLink(self, args[0] ?? "net-loopback", mac, parseLink(args[3]));
  const stack = new NetStack({ device, mac, ip: "10.78.0.1", prefix: 24, eager: true });
  const count = Number(args[1] ?? 100_000);
  const size = Number(args[2] ?? 1000);
  const r = await udpSource(stack, "10.78.0.2", 7000, count, size);
  self.log(
    `loopback UDP core ${self.core} -> sink over ${binding.transport}: ${r.mbitPerS.toFixed(0)} Mbit/s, ` +
      `${r.received}/${r.sent} datagrams of ${size} bytes in ${r.seconds.toFixed(2)} s`,
  );
  self.log(
    `RESULT ${JSON.stringify({ ...r, size, transport: binding.transport, device: device.stats, error: String(device.lastError ?? "") })}`,
  );
  await stack.close();
  return r.received > 0 ? 0 : 1;
}
