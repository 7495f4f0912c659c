// The near side of the capops tests (core 0): allocates a frame, shares it with capops-peer on core 1,
// then, by mode: "revoke" revokes it; "owner-first" / "peer-first" delete both copies in that order
// and allocate again until the freed bytes come back; "die" revokes while core 1 is blocked (the test
// kills core 1 meanwhile). Logs one `result {...}` line.
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function codeOf(p) {
  try {
    await p;
    return "ok";
  } catch (e) {
    return e?.name === "OsError" ? e.code : `untyped: ${e}`;
  }
}

export default async function main(self, [mode]) {
  const name = `capops-${mode}`;
  await self.spawn(new URL("./capops-peer.mjs", import.meta.url), { core: 1, args: [name] });
  const peer = await self.bind(TestRpcCap, await self.names.lookup(name));
  const frame = await self.frames.alloc(4096);
  const mem = await self.vspace.map(frame);
  mem.setUint32(0, 0xc0ffee);
  const r = { mode, shared: (await peer.rpc.send_cap_one(frame)).error_code };
  const mine = self.caps.identify(frame);
  r.base = mine.base;
  r.mine = { owner: mine.owner, relations: mine.relations };
  const theirs = (await peer.rpc.echo(5)).arg_out;
  r.theirs = { owner: theirs >> 8, relations: theirs & 0xff };
  if (mode === "revoke") {
    await self.caps.revoke(frame);
    r.peerIdentify = (await peer.rpc.echo(1)).arg_out;
    r.peerRead = (await peer.rpc.echo(2)).arg_out;
    const after = self.caps.identify(frame);
    r.after = { owner: after.owner, relations: after.relations };
    // Mapping caps are descendants of the frame: the revoker's own mapping goes too, as on one core.
    self.vspace.setFaultHandler(() => {});
    try {
      mem.getUint32(0);
      r.ownRead = "ok";
    } catch (e) {
      r.ownRead = e?.code;
    }
  } else if (mode === "owner-first" || mode === "peer-first") {
    await self.vspace.unmap(mem);
    if (mode === "owner-first") {
      await self.caps.delete(frame);
      r.peerAfterMine = (await peer.rpc.echo(5)).arg_out;
      await peer.rpc.echo(3);
    } else {
      await peer.rpc.echo(3);
      await self.caps.delete(frame);
    }
    // The bytes come back to core 0 (at once, or when core 1's word that it freed them arrives).
    r.reused = false;
    for (let i = 0; i < 50 && !r.reused; i++) {
      const again = await self.frames.alloc(4096);
      r.reused = self.caps.identify(again).base === r.base;
      await self.caps.delete(again);
      if (!r.reused) await sleep(20);
    }
  } else if (mode === "die") {
    await peer.rpc.echo(4);
    await sleep(300);
    const revoking = self.caps.revoke(frame);
    self.log("revoking");
    r.revoke = await codeOf(revoking);
    // The frame is usable again here: nothing holds it locked.
    r.afterDeath = await codeOf(self.caps.revoke(frame));
  }
  self.log(`result ${JSON.stringify(r)}`);
  return 0;
}
