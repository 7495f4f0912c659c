// The ping-pong client: looks the service up by name (args[0], default "ping-pong"), binds to it
// (urpc when the server is on another core, lrpc when on this one) and makes args[1] rpcs (default
// 10000), checking every answer.
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";

export default async function main(self, args) {
  const name = args[0] ?? "ping-pong";
  const count = Number(args[1] ?? 10_000);
  const iref = await self.names.lookup(name, { timeoutMs: 10_000 });
  const pp = await self.bind(PingPong, iref);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const { testout } = await pp.rpc.testrpc(BigInt(i));
    if (testout !== BigInt(i) + 1n) throw new Error(`rpc ${i}: expected ${i + 1}, got ${testout}`);
  }
  const us = ((performance.now() - t0) * 1000) / count;
  self.log(
    `${count} rpcs to iref ${iref} (${pp.transport}) from core ${self.core}: ${us.toFixed(2)} us each, all answers right`,
  );
  await pp.close();
  return 0;
}
