// A ping_pong server whose rpc never answers: calls to it stay pending until its core dies.
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";

export default async function main(self, args) {
  const iref = await self.export(PingPong, { rpc: { testrpc: () => new Promise(() => {}) } });
  await self.names.register(args[0] ?? "hang", iref);
  return new Promise(() => {});
}
