// The other side of shared-frame: takes a Frame cap (send_cap_one), maps it, checks the sender's word
// at offset 0 and writes 0xfeed at offset 8; echo(off) answers the word at `off` of the shared frame.
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

export default async function main(self) {
  let mem = null;
  const iref = await self.export(TestRpcCap, {
    rpc: {
      async send_cap_one(frame) {
        mem = await self.vspace.map(frame);
        if (mem.getUint32(0) !== 0xc0ffee) return { error_code: 1 };
        mem.setUint32(8, 0xfeed);
        return { error_code: 0 };
      },
      echo: (off) => ({ arg_out: mem === null ? 0 : mem.getUint32(off) }),
    },
  });
  await self.names.register("shared-frame", iref);
  return new Promise(() => {});
}
