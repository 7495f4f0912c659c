// A frame shared across cores: this domain (core 0) allocates a frame, writes to it, and passes the
// Frame cap to a peer on core 2 (or the last core) over test_rpc_cap; the peer maps it through its own
// core's MMU, reads this side's write and writes back; each side then sees the other's writes.
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

export default async function main(self) {
  const peerCore = Math.min(2, self.cores - 1);
  await self.spawn(new URL("./peer.mjs", import.meta.url), { core: peerCore });
  const peer = await self.bind(TestRpcCap, await self.names.lookup("shared-frame"));
  const frame = await self.frames.alloc(4096);
  const mem = await self.vspace.map(frame);
  mem.setUint32(0, 0xc0ffee);
  const { error_code } = await peer.rpc.send_cap_one(frame);
  if (error_code !== 0) throw new Error(`the peer refused the frame (${error_code})`);
  const fromPeer = mem.getUint32(8);
  mem.setUint32(16, 0xbeef);
  const { arg_out } = await peer.rpc.echo(16);
  self.log(
    `core ${self.core} wrote 0xc0ffee, core ${peerCore} read it and wrote 0x${fromPeer.toString(16)}; ` +
      `core ${peerCore} read 0x${arg_out.toString(16)} back from core ${self.core}'s second write`,
  );
  return fromPeer === 0xfeed && arg_out === 0xbeef ? 0 : 1;
}
