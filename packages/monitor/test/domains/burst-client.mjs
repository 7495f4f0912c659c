// Spawns burst-server on core args[0], sends it args[1] pings as fast as the ring takes them and
// returns at once: the exit must not lose the pings still in the ring.
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";

export default async function main(self, [core, count]) {
  const name = `burst-${self.id}`;
  await self.spawn(new URL("./burst-server.mjs", import.meta.url), { core: Number(core), args: [name] });
  const b = await self.bind(PingPong, await self.names.lookup(name, { timeoutMs: 60_000 }));
  const sends = [];
  for (let i = 0; i < Number(count); i++) sends.push(b.tx.ping(BigInt(i)));
  await Promise.all(sends);
  return 0;
}
