// Binds to the hanging server (args[0]) and to a healthy one (args[1]), starts 3 calls to the hanging
// one, reports through its exit code how they ended: 0 when every one failed with PEER_DIED within
// args[2] ms after they started failing, and the healthy server still answered afterwards.
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";

export default async function main(self, args) {
  const hang = await self.bind(PingPong, await self.names.lookup(args[0]));
  const good = await self.bind(PingPong, await self.names.lookup(args[1]));
  const calls = [1n, 2n, 3n].map((v) =>
    hang.rpc.testrpc(v).then(
      () => "answered",
      (e) => e,
    ),
  );
  self.log("calls in flight");
  const outcomes = await Promise.all(calls);
  const codes = outcomes.map((e) => (typeof e === "string" ? e : e.code));
  self.log(`pending calls ended with ${codes.join(", ")}`);
  const { testout } = await good.rpc.testrpc(41n);
  return codes.every((c) => c === "PEER_DIED") && testout === 42n ? 0 : 1;
}
