// A client bound across cores (server: cap-struct-server on core 1) that logs "bound", waits until
// the name args[1] is registered, then closes the binding and stays ("close"), exits without closing
// ("exit"), or has the server close its end ("server-close": the server's pool_msg handler closes).
import { TestCapStruct } from "@shoal/libshoal/interfaces/test_cap_struct";

export default async function main(self, [mode, go]) {
  await self.spawn(new URL("./cap-struct-server.mjs", import.meta.url), { core: 1, args: ["bc"] });
  const b = await self.bind(TestCapStruct, await self.names.lookup("bc"));
  self.log(`bound over ${b.transport}`);
  await self.names.lookup(go, { timeoutMs: 60_000 });
  if (mode === "exit") return 0;
  if (mode === "server-close") {
    const frame = await self.frames.alloc(4096);
    await b.tx.pool_msg({ id: -1, frame });
    return new Promise(() => {});
  }
  await b.close();
  self.log("closed");
  return new Promise(() => {});
}
