// A stand-in skb service for the monitor's tests (the real one is @shoal/skb's, which this package
// does not depend on): serves skb.if's run() with a star as every tree, except for core `noCore`
// (--no-core K), whose query gets no answer (and which the all-roots answer leaves out; --bad-all
// makes that answer malformed). Registered as "skb" after `delayMs` (--delay MS).
import { Skb } from "@shoal/libshoal/interfaces/skb";

export default async function main(self, args) {
  const noCore = Number(args.indexOf("--no-core") >= 0 ? args[args.indexOf("--no-core") + 1] : -1);
  const badAll = args.includes("--bad-all");
  const delayMs = Number(args.indexOf("--delay") >= 0 ? args[args.indexOf("--delay") + 1] : 0);
  const cores = Array.from({ length: self.cores }, (_, k) => k);
  const iref = await self.export(Skb, {
    rpc: {
      run(input) {
        // The shootdown's all-roots query (monitor/src/skb/all-routes.ts): the same stars for each root.
        const all = /^findall\(r\(K, T, N\), \(member\(K, \[([\d,]*)\]\), multicast_tree/.exec(input);
        if (all !== null) {
          if (badAll) return { output: "L = [r(0,oops)]", str_error: "", int_error: 0 };
          const roots = (all[1] ?? "")
            .split(",")
            .map(Number)
            .filter((k) => k !== noCore);
          const list = roots.map((root) => {
            const others = cores.filter((c) => c !== root);
            const t = `mc(${root},[${others.map((c) => `mc(${c},[])`).join(",")}])`;
            const n = `mcn(${root},0,[${others.map((c) => `mcn(${c},${c % 2},[])`).join(",")}])`;
            return `r(${root},${t},${n})`;
          });
          return { output: `K = _, T = _, N = _, L = [${list.join(",")}]`, str_error: "", int_error: 0 };
        }
        const m = /^multicast_tree\((\d+), T\), numa_multicast_tree\(\1, N\)$/.exec(input);
        if (m === null)
          return { output: "", str_error: `SYNTAX: not a routes query: ${input}`, int_error: 2 };
        const root = Number(m[1]);
        if (root === noCore) return { output: "false", str_error: "", int_error: 1 };
        const others = cores.filter((c) => c !== root);
        const t = `mc(${root},[${others.map((c) => `mc(${c},[])`).join(",")}])`;
        const n = `mcn(${root},0,[${others.map((c) => `mcn(${c},${c % 2},[])`).join(",")}])`;
        return { output: `T = ${t}, N = ${n}`, str_error: "", int_error: 0 };
      },
    },
  });
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  await self.names.register(args[0] ?? "skb", iref);
  return new Promise(() => {});
}
