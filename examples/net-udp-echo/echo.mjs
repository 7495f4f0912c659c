// A UDP echo server on its own stack, attached to a net_frames link (the driver by default).
// args: [link = "net-driver", ip = "10.77.0.2", mac = "02:00:00:77:00:02", port = "7"]
import { NetStack } from "@shoal/net";
import { connectLink } from "../net-common/link.mjs";

export default async function main(self, args) {
  const [link = "net-driver", ip = "10.77.0.2", mac = "02:00:00:77:00:02", port = "7"] = args;
  const { device } = await connectLink(self, link, mac);
  const stack = new NetStack({ device, mac, ip, prefix: 24, eager: true });
  const sock = stack.createUdpSocket({ receiveQueue: 4096 });
  await sock.bind(Number(port));
  self.log(`udp-echo: ${ip}:${port} on core ${self.core}`);
  for (;;) {
    const m = await sock.receive();
    if (m === undefined) return 0;
    sock.send(m.data, m.rinfo.port, m.rinfo.address).catch(() => {});
  }
}
