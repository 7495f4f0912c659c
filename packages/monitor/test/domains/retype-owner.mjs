// The near side of the retype 2PC tests (core 0): allocates a Frame of one page per core, sends it to a
// retype-peer on every other core, then, by mode: "overlap" has every core retype page 0 at once,
// "local" (one core)
// retypes a cap nobody else holds, "disjoint" has core k retype page k at once, "die" retypes while core 1 is blocked (the test kills
// core 1 meanwhile) and then retypes again, after a first retype of page 3. Logs one `result {...}` line.
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CODES = ["ok", "RETYPE_OVERLAP", "REVOKE_FIRST", "CAP_LOCKED", "PEER_DIED", "TIMEOUT"];

async function codeOf(p) {
  try {
    await p;
    return "ok";
  } catch (e) {
    return e?.name === "OsError" ? e.code : `untyped: ${e}`;
  }
}

export default async function main(self, [mode, n]) {
  const cores = Number(n);
  const peers = [];
  for (let k = 1; k < cores; k++) {
    const name = `retype-${mode}-${k}`;
    await self.spawn(new URL("./retype-peer.mjs", import.meta.url), { core: k, args: [name] });
    peers.push(await self.bind(TestRpcCap, await self.names.lookup(name)));
  }
  const frame = await self.frames.alloc(4096 * Math.max(cores, 4));
  for (const p of peers) await p.rpc.send_cap_one(frame);
  const r = { mode, relations: self.caps.identify(frame).relations };
  const retypeAt = (page) => self.caps.retype(frame, "Frame", { bytes: 4096, offset: page * 4096 });
  const peerAt = async (p, page) => CODES[(await p.rpc.echo(100 + page)).arg_out] ?? "other";
  if (mode === "local") {
    // Nothing of the frame is elsewhere: the CPU driver retypes at once, with the kernel's refusals.
    const made = await self.caps.retype(frame, "Frame", { bytes: 4096, count: 2, offset: 4096 });
    r.made = made.map((c) => self.caps.identify(c).base - self.caps.identify(frame).base);
    r.covered = await codeOf(retypeAt(1));
    r.partly = await codeOf(self.caps.retype(frame, "Frame", { bytes: 8192, offset: 0 }));
    r.wrongType = await codeOf(self.caps.retype(frame, "CNode", { bytes: 16384 }));
    r.outside = await codeOf(self.caps.retype(frame, "Frame", { bytes: 4096, offset: 4096 * 4 }));
    r.free = await codeOf(retypeAt(0));
  } else if (mode === "overlap" || mode === "disjoint") {
    const page = (k) => (mode === "overlap" ? 0 : k);
    r.codes = await Promise.all([codeOf(retypeAt(page(0))), ...peers.map((p, i) => peerAt(p, page(i + 1)))]);
    // The loser's retype is refused against the winner's new object, however it was ordered.
    r.again = await codeOf(retypeAt(0));
  } else if (mode === "partial") {
    // Rounds on fresh frames: core k retypes pages [k, k + 2) at once, so neighbours overlap.
    r.rounds = [];
    for (let round = 0; round < 5; round++) {
      const f = await self.frames.alloc(4096 * (cores + 1));
      for (const p of peers) await p.rpc.send_cap_one(f);
      const two = (k) => ({ bytes: 8192, offset: k * 4096 });
      r.rounds.push(
        await Promise.all([
          codeOf(self.caps.retype(f, "Frame", two(0))),
          ...peers.map(async (p, i) => CODES[(await p.rpc.echo(200 + i + 1)).arg_out] ?? "other"),
        ]),
      );
    }
  } else if (mode === "die") {
    // A first 2PC loads the retype code on every core (it loads on first use), so that the next
    // retype's round is under way, waiting for the blocked core, when the test kills it.
    r.warm = await codeOf(retypeAt(3));
    await peers[0].rpc.echo(4);
    await sleep(300);
    const retyping = retypeAt(0);
    self.log("retyping");
    r.retype = await codeOf(retyping);
    r.afterDeath = await codeOf(retypeAt(1));
  }
  self.log(`result ${JSON.stringify(r)}`);
  return 0;
}
