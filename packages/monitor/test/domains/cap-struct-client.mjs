// Client of test_cap_struct, with the server on core args[0] (the same core: lrpc; another: urpc):
// a cap inside a struct in a call and in a message, and caps in an rpc's response (top-level and in a
// struct), each usable in the receiving domain's CSpace. Logs one `result {...}` line.
import { TestCapStruct } from "@shoal/libshoal/interfaces/test_cap_struct";

export default async function main(self, [serverCore]) {
  const core = Number(serverCore);
  const name = `cap-struct-${core}`;
  await self.spawn(new URL("./cap-struct-server.mjs", import.meta.url), { core, args: [name] });
  const server = await self.bind(TestCapStruct, await self.names.lookup(name));
  const frame = await self.frames.alloc(4096);
  const mem = await self.vspace.map(frame);
  mem.setUint32(0, 0xabc);
  const r = { transport: server.transport };
  r.give = (await server.rpc.give_pool({ id: 1, frame })).word;
  const out = await server.rpc.take_frame(0x1234);
  r.takeTop = {
    type: self.caps.identify(out.frame).type,
    word: (await self.vspace.map(out.frame)).getUint32(0),
  };
  r.takeStruct = {
    id: out.p.id,
    size: self.caps.identify(out.p.frame).size,
    word: (await self.vspace.map(out.p.frame)).getUint32(0),
  };
  mem.setUint32(0, 0xdef);
  await server.tx.pool_msg({ id: 2, frame });
  self.log(`result ${JSON.stringify(r)}`);
  return 0;
}
