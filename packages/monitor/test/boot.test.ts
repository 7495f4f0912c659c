// End-to-end: boot real core workers, run domains in them, halt. Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

const examples = (p: string) => fileURLToPath(new URL(`../../../examples/${p}`, import.meta.url));
const domain = (p: string) => fileURLToPath(new URL(`./domains/${p}`, import.meta.url));

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

async function boot(cores: number, log?: string[]): Promise<Machine> {
  const m = await Machine.boot({ cores, memoryBytes: 64 * 2 ** 20, console: (l) => log?.push(l) });
  machines.push(m);
  return m;
}

describe("boot", () => {
  it.each([1, 2, 7, 32])("%i cores boot, answer over the mesh, and halt cleanly", async (cores) => {
    const m = await boot(cores);
    expect(m.liveCores()).toEqual(Array.from({ length: cores }, (_, k) => k));
    expect(await m.ps()).toEqual([]);
    if (cores > 1) expect((await m.ping(cores - 1, 0, 10)).count).toBe(10);
    await m.halt();
    expect(m.liveCores()).toEqual([]);
  });
});

describe("domains", () => {
  it("a domain spawned on every core runs there, and its parent gets every exit code", async () => {
    const log: string[] = [];
    const m = await boot(7, log);
    const { exited } = await m.spawn(examples("hello/main.mjs"));
    expect(await exited).toBe(0);
    const rows = await m.ps();
    expect(rows.map((r) => r.core).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows.every((r) => r.name === "hello" && r.state === "exited" && r.exitCode === 0)).toBe(true);
    for (let k = 0; k < 7; k++) expect(log.some((l) => l.startsWith(`[core ${k}] hello#`))).toBe(true);
  });

  it("a domain that throws or rejects is reported and stopped; its core goes on", async () => {
    const log: string[] = [];
    const m = await boot(2, log);
    for (const how of ["sync", "async"]) {
      const { id, exited } = await m.spawn(domain("thrower.mjs"), { core: 1, args: [how] });
      expect(await exited).toBe(1);
      expect((await m.ps()).find((r) => r.id === id)?.state).toBe("faulted");
    }
    expect(log.filter((l) => /thrower#\d+ faulted/.test(l))).toHaveLength(2);
    const again = await m.spawn(examples("hello-ts/main.ts"), { core: 1 });
    expect(await again.exited).toBe(0);
  });

  it("a module that cannot be spawned is a typed error, not a dead core", async () => {
    const m = await boot(1);
    await expect(m.spawn("/no/such/module.mjs")).rejects.toMatchObject({ code: "SPAWN_FAILED" });
    expect((await m.spawn(examples("hello-ts/main.ts"))).id).toBeGreaterThan(0);
  });
});

describe("binding across cores", () => {
  it("100,000 rpcs from core 0 to a server on core 2, every answer right; then the same over lrpc", async () => {
    const log: string[] = [];
    const m = await boot(3, log);
    await m.spawn(examples("ping-pong/server.mjs"), { core: 2, args: ["pp"] });
    const far = await m.spawn(examples("ping-pong/client.mjs"), { core: 0, args: ["pp", "100000"] });
    expect(await far.exited).toBe(0);
    const near = await m.spawn(examples("ping-pong/client.mjs"), { core: 2, args: ["pp", "1000"] });
    expect(await near.exited).toBe(0);
    expect(log.some((l) => /100000 rpcs to iref \d+ \(urpc\) from core 0/.test(l))).toBe(true);
    expect(log.some((l) => /1000 rpcs to iref \d+ \(lrpc\) from core 2/.test(l))).toBe(true);
    const server = (await m.ps()).find((r) => r.name === "server");
    expect(server?.messages).toBe(101_000);
  });

  it("kill-core while calls are pending: they fail with PEER_DIED, the other cores keep serving", async () => {
    const log: string[] = [];
    const m = await boot(4, log);
    await m.spawn(domain("hang-server.mjs"), { core: 3, args: ["hang"] });
    await m.spawn(examples("ping-pong/server.mjs"), { core: 2, args: ["good"] });
    const client = await m.spawn(domain("pending-client.mjs"), { core: 1, args: ["hang", "good"] });
    // Wait until the client's calls are in flight (it says so on the console).
    const deadline = Date.now() + 10_000;
    while (!log.some((l) => l.includes("calls in flight")) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(log.some((l) => l.includes("calls in flight"))).toBe(true);
    const t0 = Date.now();
    await m.killCore(3);
    expect(await client.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(log.some((l) => l.includes("pending calls ended with PEER_DIED, PEER_DIED, PEER_DIED"))).toBe(
      true,
    );
    expect(m.liveCores()).toEqual([0, 1, 2]);
  });
});
