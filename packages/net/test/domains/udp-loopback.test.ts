/**
 * UDP over the IP loopback between domains (examples/net-loopback): the source's stack on core 0 and the
 * sink's on core 1, their devices joined over net_frames with the ring size the source asks for at
 * bind. With the flow's credit window (fewer datagrams in flight than either end's queues hold) and a
 * lossless channel, every datagram must arrive; a ring size the monitor refuses fails the bind.
 */
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { describe, expect, it } from "vitest";

const example = (p: string) => fileURLToPath(new URL(`../../../../examples/${p}`, import.meta.url));

async function run(count: number, link: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => lines.push(l) });
  try {
    await machine.spawn(example("net-loopback/sink.mjs"), { core: 1, args: ["test-udp", link] });
    const source = await machine.spawn(example("net-loopback/source.mjs"), {
      core: 0,
      args: ["test-udp", String(count), "1000", link],
    });
    return { code: await source.exited, lines };
  } finally {
    await machine.halt();
  }
}

interface Result {
  sent: number;
  received: number;
  transport: string;
  device: { txFrames: number; txBatches: number; rxDropped: number; rxMalformed: number; txErrors: number };
}

function result(lines: string[]): Result {
  const line = lines.find((l) => l.includes("RESULT "));
  if (line === undefined) throw new Error(`no RESULT line:\n${lines.join("\n")}`);
  return JSON.parse(line.slice(line.indexOf("RESULT ") + 7)) as Result;
}

describe("UDP loopback between domains on two cores", () => {
  it("delivers every datagram over a 4,096-line ring with 16 KiB batches (no loss under flow control)", async () => {
    const { code, lines } = await run(5000, "4096:16384");
    const r = result(lines);
    expect(r.transport).toBe("urpc");
    expect(r.sent).toBe(5000);
    expect(r.received).toBe(5000);
    expect(r.device).toMatchObject({ rxDropped: 0, rxMalformed: 0, txErrors: 0 });
    // Several frames went per message (the poll's burst), which the old 32-line ring could not carry.
    expect(r.device.txBatches).toBeLessThan(r.device.txFrames);
    expect(code).toBe(0);
  }, 180_000);

  it("a ring size the monitor refuses fails the source's bind with BIND_FAILED", async () => {
    const { code, lines } = await run(10, "48:16384");
    expect(code).not.toBe(0);
    expect(lines.join("\n")).toMatch(/BIND_FAILED|power of two/);
  }, 60_000);
});
