// An HTTP/1.1 server on a shoal stack in this domain: Node's http module over the stack's TCP (through
// TcpDuplex), the 4.1 kB static page at /, and /sql?... pages when a database domain is named.
//
// args: [link = "net-driver", ip = "10.77.0.2", mac = "02:00:00:77:00:02", port = "80", sqlName?]
// The link is a net_frames export: the driver domain (to reach Linux) or a loopback peer.
import http from "node:http";
import { NetStack, TcpDuplex, TcpNet } from "@shoal/net";
import { connectLink } from "../net-common/link.mjs";
import { staticHandler } from "../net-common/page.mjs";

export default async function main(self, args) {
  const [link = "net-driver", ip = "10.77.0.2", mac = "02:00:00:77:00:02", port = "80", sqlName] = args;
  const { device } = await connectLink(self, link, mac);
  const stack = new NetStack({ device, mac, ip, prefix: 24, eager: true });
  const tcp = new TcpNet(stack);
  let handler = staticHandler;
  if (sqlName !== undefined) {
    const { sqlHandler } = await import("../net-sql/handler.mjs");
    handler = await sqlHandler(self, sqlName);
  }
  const server = http.createServer({ keepAlive: true }, handler);
  const listener = tcp.listen(Number(port), { backlog: 256 });
  listener.on("connection", (c) => server.emit("connection", new TcpDuplex(c)));
  self.log(`http: serving on ${ip}:${port} (core ${self.core}, link '${link}')`);
  return new Promise(() => {});
}
