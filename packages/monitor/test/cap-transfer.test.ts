// End-to-end: caps in stubs (real workers): a frame shared across cores, caps passed across cores and on
// one core over test_rpc_cap, refused when forged or lacking GRANT. Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

const examples = (p: string) => fileURLToPath(new URL(`../../../examples/${p}`, import.meta.url));

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

async function boot(cores: number, log: string[]): Promise<Machine> {
  const m = await Machine.boot({ cores, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
  machines.push(m);
  return m;
}

function results(log: string[]): Record<string, unknown>[] {
  return log
    .filter((l) => l.includes(" result "))
    .map((l) => JSON.parse(l.slice(l.indexOf(" result ") + 8)) as Record<string, unknown>);
}

describe("caps in stubs", () => {
  it("a frame allocated on core 0 and passed to core 2: both see each other's writes", async () => {
    const log: string[] = [];
    const m = await boot(4, log);
    const { exited } = await m.spawn(examples("shared-frame/main.mjs"));
    expect(await exited).toBe(0);
    expect(log.some((l) => l.includes("core 2 read it and wrote 0xfeed; core 2 read 0xbeef back"))).toBe(
      true,
    );
    // The sender's exit handed its copy to the delete protocol: ownership moves to core 2, and the
    // bytes stay out of core 0's reuse while core 2's copy lives.
    let shared: number | undefined;
    for (let i = 0; i < 100 && shared === undefined; i++) {
      shared = (await m.mem())[0]?.byType.Shared;
      if (shared === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(shared).toBe(4096);
    // The receiver's CSpace holds its own Frame cap naming core 0's RAM, owned by core 2 now.
    const peer = (await m.ps()).find((r) => r.name === "peer" && r.core === 2);
    expect(peer).toBeDefined();
    const frames = (await m.caps(peer?.id ?? 0)).filter((r) => r.type === "Frame");
    expect(frames).toHaveLength(1);
    expect(frames[0]?.base).toBeGreaterThanOrEqual(m.layout.ramBase);
    expect(frames[0]?.base).toBeLessThan(m.layout.ramBase + m.layout.ramPerCore);
    expect(frames[0]?.owner).toBe(2);
  });

  it("caps cross cores and stay on one core over test_rpc_cap; forged and GRANT-less caps are refused", async () => {
    const log: string[] = [];
    const m = await boot(4, log);
    const { exited } = await m.spawn(examples("cap-passing/main.mjs"));
    expect(await exited).toBe(0);
    const r = results(log);
    const far = r.find((x) => x.transport === "urpc");
    const near = r.find((x) => x.transport === "lrpc");
    expect(far).toMatchObject({ echo: 42, one: 0, two: 0, forged: "BAD_ARGUMENT", noGrant: "CAP_RIGHTS" });
    expect(near).toMatchObject({ echo: 42, one: 0, two: 0, forged: "BAD_ARGUMENT", noGrant: "CAP_RIGHTS" });
    expect(log.filter((l) => /server#\d+: got a Frame cap/.test(l))).toHaveLength(6);
  });
});
