// The shell's `skb QUERY`: asks the skb domain (starting it on core 0 first if no domain serves "skb"
// yet, so booting costs nothing until the SKB is used) and logs each answer line. Exit code: 0 with
// answers, 1 without, 2 on an error (logged as one line).
import { Skb } from "@shoal/libshoal/interfaces/skb";

export default async function main(self, args) {
  const query = args.join(" ");
  let iref;
  try {
    iref = await self.names.lookup("skb", { timeoutMs: 50 });
  } catch {
    await self.spawn(new URL("./skb.mjs", import.meta.url), { core: 0, args: ["skb"] });
    iref = await self.names.lookup("skb", { timeoutMs: 60_000 });
  }
  const skb = await self.bind(Skb, iref);
  try {
    const r = await skb.rpc.run(query, { timeoutMs: 60_000 });
    if (r.int_error === 2) self.log(`skb: ${r.str_error}`);
    else for (const line of r.output.split("\n")) self.log(line);
    return r.int_error;
  } finally {
    await skb.close();
  }
}
