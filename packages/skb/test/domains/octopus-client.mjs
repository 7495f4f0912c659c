// A client of every skb.if call: on core K it identifies, stores its cpu record, subscribes to
// alarms, increments the shared counter record `rounds` times under the lock "counter", publishes an
// alarm, and logs one line per result: `octopus core K: what = value`.
import { Skb } from "@shoal/libshoal/interfaces/skb";

export default async function main(self, args) {
  const rounds = Number(args[0] ?? 5);
  const iref = await self.names.lookup("skb", { timeoutMs: 60_000 });
  const skb = await self.bind(Skb, iref);
  const t = { timeoutMs: 60_000 };
  const log = (what, value) => self.log(`octopus core ${self.core}: ${what} = ${value}`);
  try {
    const { id } = await skb.rpc.get_identifier(t);
    await skb.rpc.identify(id, t);
    log("id", id > 0n ? "positive" : String(id));
    log("set", (await skb.rpc.set(`cpu${self.core} { type: cpu, core: ${self.core} }`, t)).error_code);
    log("subscribe", (await skb.rpc.subscribe("_ { type: alarm }", id, t)).err);
    for (let i = 0; i < rounds; i++) {
      const l = await skb.rpc.lock("counter", t);
      if (l.err !== 0) log("lock", l.err);
      const got = await skb.rpc.get("counter", t);
      const n = got.error_code === 0 ? Number(/n: (\d+)/.exec(got.output)?.[1]) : 0;
      // Yield between the read and the write: without the lock, another core's increment would be lost.
      await new Promise((r) => setTimeout(r, 2));
      await skb.rpc.set(`counter { n: ${n + 1} }`, t);
      const u = await skb.rpc.unlock("counter", t);
      if (u.err !== 0) log("unlock", u.err);
    }
    log("publish", (await skb.rpc.publish(`alarm${self.core} { type: alarm, from: ${self.core} }`, t)).err);
    log("bad get", (await skb.rpc.get("cpu { core: }", t)).error_code);
    log("unlock not held", (await skb.rpc.unlock("counter", t)).err);
    log("del missing", (await skb.rpc.del("nothing", t)).error_code);
    const r = await skb.rpc.run("cores(Cs)", t);
    log("run", r.output);
    log("me", (await skb.rpc.get(`_ { core: ${self.core} }`, t)).output);
    log("idnum", String(id));
  } finally {
    await skb.close();
  }
  return 0;
}
