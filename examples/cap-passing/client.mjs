// A test_rpc_cap client: passes Frame caps (accepted), a number (refused by the stub: not a
// capability) and a cap without the GRANT right (refused by the sender's kernel: CAP_RIGHTS), and
// prints what happened. Exit 0 when all went so.
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

const RIGHT_READ = 1;
const RIGHT_WRITE = 2;

async function refusal(p) {
  try {
    await p;
    return "accepted";
  } catch (e) {
    return e?.code ?? String(e);
  }
}

export default async function main(self, args) {
  const rpc = await self.bind(TestRpcCap, await self.names.lookup(args[0] ?? "test_rpc_cap"));
  const a = await self.frames.alloc(4096);
  const b = await self.frames.alloc(8192);
  const seen = {
    transport: rpc.transport,
    echo: (await rpc.rpc.echo(42)).arg_out,
    one: (await rpc.rpc.send_cap_one(a)).error_code,
    two: (await rpc.rpc.send_cap_two(a, b)).error_code,
    forged: await refusal(rpc.rpc.send_cap_one(7)),
    noGrant: await refusal(rpc.rpc.send_cap_one(self.caps.mint(a, RIGHT_READ | RIGHT_WRITE))),
  };
  self.log(`result ${JSON.stringify(seen)}`);
  const ok =
    seen.echo === 42 &&
    seen.one === 0 &&
    seen.two === 0 &&
    seen.forged !== "accepted" &&
    seen.noGrant === "CAP_RIGHTS";
  return ok ? 0 : 1;
}
