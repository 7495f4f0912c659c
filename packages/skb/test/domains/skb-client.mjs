// A client of the skb domain: asks args[0..] queries in order and logs each reply as one line
// `skb-client core K: <int_error> <output or str_error>` (newlines as " | ").
import { Skb } from "@shoal/libshoal/interfaces/skb";

export default async function main(self, args) {
  const iref = await self.names.lookup("skb", { timeoutMs: 60_000 });
  const skb = await self.bind(Skb, iref);
  for (const q of args) {
    const r = await skb.rpc.run(q, { timeoutMs: 60_000 });
    const text = r.int_error === 2 ? r.str_error : r.output.replaceAll("\n", " | ");
    self.log(`skb-client core ${self.core}: ${r.int_error} ${text}`);
  }
  await skb.close();
  return 0;
}
