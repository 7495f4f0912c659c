// End-to-end: the distributed capability operations between booted cores (capops over intermon). A
// frame shared core 0 -> core 1 is a remote copy the owner knows of; revoke on core 0 reaches core 1's
// CSpace and page tables; when both copies are deleted, in either order, core 0 reuses the bytes; a
// core that dies while a revoke waits for it fails the revoke typed. Every test halts what it boots.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Machine } from "../src/index.js";

const owner = fileURLToPath(new URL("./domains/capops-owner.mjs", import.meta.url));

let machines: Machine[] = [];
afterEach(async () => {
  await Promise.all(machines.map((m) => m.halt()));
  machines = [];
});

async function run(mode: string, cores = 2, during?: (log: string[], m: Machine) => Promise<void>) {
  const log: string[] = [];
  const m = await Machine.boot({ cores, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
  machines.push(m);
  const { exited } = await m.spawn(owner, { args: [mode] });
  await during?.(log, m);
  expect(await exited).toBe(0);
  const line = log.find((l) => l.includes(" result "));
  if (line === undefined) throw new Error(`no result in ${JSON.stringify(log)}`);
  return { r: JSON.parse(line.slice(line.indexOf(" result ") + 8)) as Record<string, unknown>, m, log };
}

async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("capops between booted cores", () => {
  it("a frame sent to core 1 is a remote copy: both sides' copies bits are set, core 0 owns it", async () => {
    const { r } = await run("revoke");
    expect(r.shared).toBe(0);
    expect(r.mine).toEqual({ owner: 0, relations: 1 });
    expect(r.theirs).toEqual({ owner: 0, relations: 1 });
  });

  it("revoke on core 0 reaches core 1: identify fails CAP_NOT_FOUND and its mapping faults", async () => {
    const { r } = await run("revoke");
    expect(r.peerIdentify).toBe(1);
    expect(r.peerRead).toBe(1);
    // The revoked cap stays, with no remote relation left; its mapping (a descendant) went too.
    expect(r.after).toEqual({ owner: 0, relations: 0 });
    expect(r.ownRead).toBe("PAGE_FAULT");
  });

  it("both delete, owner first: ownership moves to core 1, then core 0 gets its bytes back", async () => {
    const { r, m } = await run("owner-first");
    // After core 0's delete, core 1 owns the only copy.
    expect(r.peerAfterMine).toBe((1 << 8) | 1);
    expect(r.reused).toBe(true);
    await until(async () => (await m.mem())[0]?.byType.Shared === undefined);
    expect((await m.mem())[0]?.byType.Frame).toBeUndefined();
  });

  it("both delete, core 1 first: core 0 deletes the last copy and reuses the bytes", async () => {
    const { r, m } = await run("peer-first");
    expect(r.reused).toBe(true);
    await until(async () => (await m.mem())[0]?.byType.Shared === undefined);
  });

  it("a core that dies while a revoke waits for it: the revoke fails PEER_DIED, the next one works", async () => {
    const { r } = await run("die", 3, async (log, m) => {
      await until(() => log.some((l) => l.includes("revoking")));
      await m.killCore(1);
    });
    expect(r.revoke).toBe("PEER_DIED");
    expect(r.afterDeath).toBe("ok");
  });
});
