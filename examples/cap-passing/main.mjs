// Cap passing over Barrelfish's test_rpc_cap.if: the service on the last core, one client on core 0
// (caps cross cores through the kernels) and one on the service's core (caps copied between CSpaces).
export default async function main(self) {
  const serverCore = self.cores - 1;
  await self.spawn(new URL("./server.mjs", import.meta.url), { core: serverCore });
  const far = await self.spawn(new URL("./client.mjs", import.meta.url), { core: 0 });
  const near = await self.spawn(new URL("./client.mjs", import.meta.url), { core: serverCore });
  const codes = [await far.exited, await near.exited];
  return codes.every((c) => c === 0) ? 0 : 1;
}
