// End-to-end: frames.alloc on a core whose RAM is out takes a frame of another core's RAM through the
// monitors (capops_mem_steal); the frame's owner is the lending core, and deleting it gives the
// lender its RAM back. Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";
import { coreRam } from "../src/layout.js";

const steal = fileURLToPath(new URL("./domains/steal.mjs", import.meta.url));

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

describe("RAM from another core", () => {
  it("core 1's RAM runs out: the next frame is core 0's, owned by core 0, and comes back on delete", async () => {
    const log: string[] = [];
    const m = await Machine.boot({ cores: 2, memoryBytes: 8 * 2 ** 20, console: (l) => log.push(l) });
    machines.push(m);
    const before = (await m.mem())[0];
    const { exited } = await m.spawn(steal, { core: 1 });
    expect(await exited).toBe(0);
    const line = log.find((l) => l.includes(" result "));
    expect(line, JSON.stringify(log)).toBeDefined();
    const r = JSON.parse(line?.slice(line.indexOf(" result ") + 8) ?? "{}") as Record<string, number>;
    expect(r.local).toBeGreaterThan(0);
    expect(r.owner).toBe(0);
    expect(r.size).toBe(256 * 1024);
    expect(r.relations).toBe(1);
    expect(r.word).toBe(0x5eed);
    const ram0 = coreRam(m.layout, 0);
    expect(r.base).toBeGreaterThanOrEqual(ram0.base);
    expect((r.base ?? 0) + (r.size ?? 0)).toBeLessThanOrEqual(ram0.base + ram0.bytes);
    // The lender's RAM comes back once the borrower deleted its copy.
    let now = (await m.mem())[0];
    for (let i = 0; i < 100 && now?.used !== before?.used; i++) {
      await new Promise((res) => setTimeout(res, 20));
      now = (await m.mem())[0];
    }
    expect(now).toEqual(before);
  });
});
