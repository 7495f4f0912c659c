// Server of test_cap_struct: maps the frame of a pool it is given (give_pool, pool_msg) and answers
// take_frame with two new frames, one as an out-argument and one inside a pool struct.
import { TestCapStruct } from "@shoal/libshoal/interfaces/test_cap_struct";

export default async function main(self, [name]) {
  const iref = await self.export(TestCapStruct, {
    rx: {
      async pool_msg(p) {
        // id -1: the client asks this end to close the binding.
        if (p.id === 0xffffffff || p.id === -1) return this.binding.close();
        const mem = await self.vspace.map(p.frame);
        self.log(`pool_msg ${p.id} read 0x${mem.getUint32(0).toString(16)}`);
      },
    },
    rpc: {
      async give_pool(p) {
        const mem = await self.vspace.map(p.frame);
        return { word: mem.getUint32(0) };
      },
      async take_frame(word) {
        const frame = await self.frames.alloc(4096);
        (await self.vspace.map(frame)).setUint32(0, word);
        const other = await self.frames.alloc(8192);
        (await self.vspace.map(other)).setUint32(0, word + 1);
        return { frame, p: { id: 9, frame: other } };
      },
    },
  });
  await self.names.register(name, iref);
  return new Promise(() => {});
}
