// The ping-pong service: exports ping_pong (answers ping with pong(val + 1) and testrpc with testin + 1)
// and registers it as "ping-pong" (or the name in args[0]). Runs until the system halts.
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";

export default async function main(self, args) {
  const name = args[0] ?? "ping-pong";
  const iref = await self.export(PingPong, {
    rx: {
      ping(val) {
        void this.binding?.tx.pong(val + 1n);
      },
    },
    rpc: { testrpc: (testin) => ({ testout: testin + 1n }) },
  });
  await self.names.register(name, iref);
  self.log(`serving '${name}' as iref ${iref}`);
  // A service domain lives until it is stopped: never resolve.
  return new Promise(() => {});
}
