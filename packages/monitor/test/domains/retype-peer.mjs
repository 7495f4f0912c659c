// The far side of the retype 2PC tests: takes a Frame cap (send_cap_one); echo(100 + page) retypes one
// page of it at that page (200 + page: two pages) and answers 0 ok, 1 RETYPE_OVERLAP, 2 REVOKE_FIRST, 3 CAP_LOCKED, 4 PEER_DIED,
// 5 TIMEOUT, 9 anything else; echo(4) blocks this core for 4 s right after answering.
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

const CODES = ["ok", "RETYPE_OVERLAP", "REVOKE_FIRST", "CAP_LOCKED", "PEER_DIED", "TIMEOUT"];

export default async function main(self, [name]) {
  let cap = null;
  const iref = await self.export(TestRpcCap, {
    rpc: {
      async send_cap_one(frame) {
        cap = frame;
        return { error_code: 0 };
      },
      async echo(cmd) {
        if (cmd === 4) {
          setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000), 0);
          return { arg_out: 0 };
        }
        try {
          // 100 + page: one page at that page; 200 + page: two pages from that page.
          const bytes = cmd >= 200 ? 8192 : 4096;
          await self.caps.retype(cap, "Frame", { bytes, offset: (cmd % 100) * 4096 });
          return { arg_out: 0 };
        } catch (e) {
          const i = CODES.indexOf(e?.code);
          return { arg_out: i < 0 ? 9 : i };
        }
      },
    },
  });
  await self.names.register(name, iref);
  return new Promise(() => {});
}
