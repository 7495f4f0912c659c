// End-to-end: caps inside structs and in rpc responses move between CSpaces on both transports (lrpc
// on one core, urpc across cores), over test_cap_struct.if. Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

const client = fileURLToPath(new URL("./domains/cap-struct-client.mjs", import.meta.url));

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

describe.each([
  ["lrpc", 0],
  ["urpc", 1],
])("caps in structs and rpc responses over %s", (transport, serverCore) => {
  it("each cap is the receiver's own: it identifies and maps it", async () => {
    const log: string[] = [];
    const m = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
    machines.push(m);
    const { exited } = await m.spawn(client, { args: [String(serverCore)] });
    expect(await exited).toBe(0);
    const line = log.find((l) => l.includes(" result "));
    expect(line, JSON.stringify(log)).toBeDefined();
    const r = JSON.parse(line?.slice(line.indexOf(" result ") + 8) ?? "{}") as Record<string, unknown>;
    expect(r).toEqual({
      transport,
      give: 0xabc,
      takeTop: { type: "Frame", word: 0x1234 },
      takeStruct: { id: 9, size: 8192, word: 0x1235 },
    });
    // The one-way message's struct cap reached the server's CSpace too (a loaded machine may take a
    // while to wake the server's core: wait up to 15 s, then fail).
    const until = Date.now() + 15_000;
    while (Date.now() < until && !log.some((l) => l.includes("pool_msg 2 read 0xdef")))
      await new Promise((res) => setTimeout(res, 20));
    expect(
      log.some((l) => l.includes("pool_msg 2 read 0xdef")),
      JSON.stringify(log),
    ).toBe(true);
  });
});
