// The test_rpc_cap service: send_cap_one/two take caps (each arrives as a new reference in this
// domain's CSpace) and answer 0 when every one names a Frame it can identify; echo answers its argument.
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

export default async function main(self, args) {
  const check = (cap) => {
    const id = self.caps.identify(cap);
    self.log(`got a ${id.type} cap of ${id.size} bytes at 0x${id.base.toString(16)}`);
    return id.type === "Frame" ? 0 : 1;
  };
  const iref = await self.export(TestRpcCap, {
    rpc: {
      echo: (arg_in) => ({ arg_out: arg_in }),
      send_cap_one: (incap) => ({ error_code: check(incap) }),
      send_cap_two: (a, b) => ({ error_code: check(a) | check(b) }),
    },
  });
  await self.names.register(args[0] ?? "test_rpc_cap", iref);
  return new Promise(() => {});
}
