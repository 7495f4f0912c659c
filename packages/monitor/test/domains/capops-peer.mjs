// The far side of the capops tests: takes a Frame cap (send_cap_one) and maps it; echo(cmd) answers
// what it sees of it: 1 identify (0 ok, 1 CAP_NOT_FOUND), 2 read its mapping (0 ok, 1 PAGE_FAULT),
// 3 delete the cap (0 done), 4 block this core for 4 s right after answering, 5 owner << 8 | relations.
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

function code(fn) {
  try {
    fn();
    return 0;
  } catch (e) {
    return e?.code === "CAP_NOT_FOUND" || e?.code === "PAGE_FAULT" ? 1 : 2;
  }
}

export default async function main(self, [name]) {
  let cap = null;
  let mem = null;
  // A fault is the expected outcome of reading a revoked frame: hear it, stay alive.
  self.vspace.setFaultHandler(() => {});
  const iref = await self.export(TestRpcCap, {
    rpc: {
      async send_cap_one(frame) {
        cap = frame;
        mem = await self.vspace.map(frame);
        return { error_code: mem.getUint32(0) === 0xc0ffee ? 0 : 1 };
      },
      async echo(cmd) {
        if (cmd === 1) return { arg_out: code(() => self.caps.identify(cap)) };
        if (cmd === 2) return { arg_out: code(() => mem.getUint32(0)) };
        if (cmd === 3) {
          await self.caps.delete(cap);
          return { arg_out: 0 };
        }
        if (cmd === 4) {
          setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000), 0);
          return { arg_out: 0 };
        }
        const id = self.caps.identify(cap);
        return { arg_out: (id.owner << 8) | id.relations };
      },
    },
  });
  await self.names.register(name, iref);
  return new Promise(() => {});
}
