// Serves ping_pong as args[0], counting pings; when a client's binding ends it logs
// `burst-server: <count> pings, then <code>`.
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";

export default async function main(self, [name]) {
  const iref = await self.export(PingPong, {
    rx: {
      ping() {
        this.count = (this.count ?? 0) + 1;
      },
    },
    onClose(error) {
      self.log(`burst-server: ${this.count ?? 0} pings, then ${error.code}`);
    },
  });
  await self.names.register(name, iref);
  return new Promise(() => {});
}
