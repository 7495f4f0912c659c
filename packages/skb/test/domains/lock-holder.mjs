// Takes skb.if lock args[0] and then, without unlocking, returns (args[1] "exit") or throws ("crash").
// Or, with args[1] "take", waits for the lock (args[2] ms at most) and logs `lock-taker: got <name>`.
import { Skb } from "@shoal/libshoal/interfaces/skb";

export default async function main(self, args) {
  const [name, mode, wait] = args;
  const iref = await self.names.lookup("skb", { timeoutMs: 60_000 });
  const skb = await self.bind(Skb, iref);
  const { err } = await skb.rpc.lock(name, { timeoutMs: Number(wait ?? 60_000) });
  if (err !== 0) throw new Error(`lock ${name}: errval ${err}`);
  if (mode === "take") {
    self.log(`lock-taker: got ${name}`);
    await skb.rpc.unlock(name);
    await skb.close();
    return 0;
  }
  self.log(`lock-holder: holding ${name}, now ${mode === "crash" ? "crashing" : "exiting"}`);
  if (mode === "crash") throw new Error("the holder dies with the lock");
  return 0;
}
