// End-to-end: a cross-core binding's channel frame (in the server core's RAM) is given back when the
// binding closes or the client's domain exits: `mem` on the server's core shows the bytes free again.
// Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

const domain = (p: string) => fileURLToPath(new URL(`./domains/${p}`, import.meta.url));

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

async function until(cond: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("condition not met in 10 s");
}

describe.each(["close", "exit", "server-close"])("a binding's frame after %s", (mode) => {
  it("comes back to the server core's RAM", async () => {
    const log: string[] = [];
    const m = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
    machines.push(m);
    const client = await m.spawn(domain("bind-close.mjs"), { args: [mode, `go-${mode}`] });
    await until(() => log.some((l) => l.includes("bound over urpc")));
    // While bound, core 1's monitor holds the channel's Frame (the server domain has none).
    expect((await m.mem())[1]?.byType.Frame).toBeGreaterThan(0);
    await m.spawn(domain("register.mjs"), { args: [`go-${mode}`] });
    if (mode === "exit") expect(await client.exited).toBe(0);
    await until(async () => (await m.mem())[1]?.byType.Frame === undefined);
    expect((await m.mem())[1]?.byType.Frame).toBeUndefined();
  });
});
