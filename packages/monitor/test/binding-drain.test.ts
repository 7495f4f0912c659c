// A client that sends a burst of one-way messages and exits at once: the server gets every message
// before its end closes (CLOSED), across cores (the ring still holds some when the exit is seen) and
// on one core (lrpc). Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

const client = fileURLToPath(new URL("./domains/burst-client.mjs", import.meta.url));

let machine: Machine | undefined;
afterEach(async () => {
  await machine?.halt();
  machine = undefined;
});

describe.each([
  ["urpc", 1],
  ["lrpc", 0],
])("a client that exits right after sending (%s)", (_transport, serverCore) => {
  it("loses none of its messages: the server's end delivers them, then closes", async () => {
    const log: string[] = [];
    machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
    const count = 2000;
    for (let round = 0; round < 6; round++) {
      const { exited } = await machine.spawn(client, { args: [String(serverCore), String(count)] });
      expect(await exited).toBe(0);
      const said = () => log.filter((l) => l.includes("burst-server:"));
      const until = Date.now() + 15_000;
      while (said().length <= round && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(said()[round], JSON.stringify(log)).toMatch(
        new RegExp(`burst-server: ${count} pings, then CLOSED$`),
      );
    }
  });
});
