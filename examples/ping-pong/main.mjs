// Runs the ping-pong service on the last core and a client on core 0 (the cross-core case), then a
// client on the server's core (the same-core case, lrpc).
export default async function main(self, args) {
  const count = args[0] ?? "10000";
  const serverCore = self.cores - 1;
  await self.spawn(new URL("./server.mjs", import.meta.url), { core: serverCore, args: ["ping-pong"] });
  const far = await self.spawn(new URL("./client.mjs", import.meta.url), {
    core: 0,
    args: ["ping-pong", count],
  });
  const near = await self.spawn(new URL("./client.mjs", import.meta.url), {
    core: serverCore,
    args: ["ping-pong", count],
  });
  const codes = [await far.exited, await near.exited];
  return codes.every((c) => c === 0) ? 0 : 1;
}
