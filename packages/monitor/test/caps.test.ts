// End-to-end: capabilities inside booted cores (real workers). Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

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

function result(log: string[]): Record<string, unknown> {
  const line = log.find((l) => l.includes(" result "));
  if (line === undefined) throw new Error(`no result in ${JSON.stringify(log)}`);
  return JSON.parse(line.slice(line.indexOf(" result ") + 8)) as Record<string, unknown>;
}

describe("capabilities in domains", () => {
  it("a domain maps a frame through the MMU, and bad invocations fail typed", async () => {
    const log: string[] = [];
    const m = await boot(2, log);
    const { exited } = await m.spawn(domain("caps-checks.mjs"), { core: 1 });
    expect(await exited).toBe(0);
    const r = result(log);
    expect(r.identify).toMatchObject({ type: "Frame", size: 65536, rights: 31 });
    expect(r.word).toBe(0xc0ffee);
    expect(r.bytes).toEqual([7, 8, 9, 10]);
    expect(r.outside).toBe("PAGE_FAULT");
    expect(r.forgedNumber).toBe("FORGED_CAP");
    expect(r.readOnlyWrite).toBe("CAP_RIGHTS");
    expect(r.readOnlyRead).toBe(0xc0ffee);
    expect(r.readOnlyStore).toBe("PAGE_FAULT");
    expect(r.deleted).toBe("CAP_NOT_FOUND");
    expect(r.afterUnmap).toBe("PAGE_FAULT");
    expect(r.faults).toBe(3);
  });

  it("mem counts RAM by capability type, and a finished domain's RAM comes back", async () => {
    const m = await boot(1);
    const before = (await m.mem())[0];
    expect(before?.byType.Boot).toBeGreaterThan(0);
    const { id, exited } = await m.spawn(domain("hang-server.mjs"), { args: ["held"] });
    await m.spawn(domain("caps-checks.mjs")).then((d) => d.exited);
    const rows = await m.caps(id);
    expect(rows.slice(0, 3).map((r) => r.type)).toEqual(["CNode", "Dispatcher", "VNode_x86_64_pml4"]);
    const during = (await m.mem())[0];
    // The held server's Dispatcher besides the core's transit CSpace's own.
    expect((during?.byType.Dispatcher ?? 0) - (before?.byType.Dispatcher ?? 0)).toBe(4096);
    expect(await m.kill(id)).toBe(true);
    expect(await exited).toBe(137);
    expect((await m.mem())[0]).toEqual(before);
    await expect(m.caps(id)).rejects.toThrow(/no running domain/);
  });

  it("a domain reading unmapped memory is reported and killed; its core goes on", async () => {
    const log: string[] = [];
    const m = await boot(2, log);
    const { id, exited } = await m.spawn(domain("wild-reader.mjs"), { core: 1 });
    expect(await exited).toBe(1);
    expect((await m.ps()).find((r) => r.id === id)?.state).toBe("faulted");
    expect(log.some((l) => /wild-reader#\d+ faulted in a fault upcall.*page fault/.test(l))).toBe(true);
    expect(log.some((l) => l.includes("from unmapped memory"))).toBe(false);
    const again = await m.spawn(domain("caps-checks.mjs"), { core: 1 });
    expect(await again.exited).toBe(0);
  });
});
