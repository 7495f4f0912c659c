/**
 * The kernel suite's service domain: exports ping_pong (ping(v) -> pong(v + 1), testrpc(x) -> x + 1)
 * under the name in args[0] and runs until the system halts.
 */
import type { Domain } from "@shoal/libshoal";
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";

export default async function main(self: Domain, args: string[]): Promise<number> {
  const iref = await self.export(PingPong, {
    rx: {
      // An exported service's handlers see their client's binding as `this.binding` (bind/accounting.ts).
      ping(this: { binding?: { tx: { pong(v: bigint): Promise<void> } } }, val: bigint) {
        void this.binding?.tx.pong(val + 1n);
      },
    },
    rpc: { testrpc: (testin: bigint) => ({ testout: testin + 1n }) },
  });
  await self.names.register(args[0] ?? "kb", iref);
  return new Promise<number>(() => {});
}
