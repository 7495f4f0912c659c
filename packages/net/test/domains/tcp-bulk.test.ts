/**
 * TCP over the IP loopback between domains: a booted two-core machine runs examples/net-tcp-bulk's sink
 * (own stack, 10.79.0.2) on core 1 and its source (own stack, 10.79.0.1) on core 0, the two stacks'
 * devices joined over net_frames (urpc across cores). 10 MiB go through TCP; the sink's SHA-256 and
 * byte count must equal the source's. Correctness only: how fast is the bench's business.
 */
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { describe, expect, it } from "vitest";

const example = (p: string) => fileURLToPath(new URL(`../../../../examples/${p}`, import.meta.url));

interface Result {
  sent: number;
  received: number;
  sha256: string;
  sinkSha256: string;
  intact: boolean;
  transport: string;
  device: { rxMalformed: number; rxDropped: number; txErrors: number };
}

async function bulk(mib: number, link: string): Promise<{ code: number; r: Result; log: string }> {
  const lines: string[] = [];
  const machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => lines.push(l) });
  try {
    await machine.spawn(example("net-tcp-bulk/sink.mjs"), { core: 1, args: ["test-tcp-bulk", link] });
    const source = await machine.spawn(example("net-tcp-bulk/source.mjs"), {
      core: 0,
      args: ["test-tcp-bulk", String(mib), link],
    });
    const code = await source.exited;
    const line = lines.find((l) => l.includes("RESULT "));
    if (line === undefined) throw new Error(`no RESULT line (exit ${code}):\n${lines.join("\n")}`);
    return { code, r: JSON.parse(line.slice(line.indexOf("RESULT ") + 7)) as Result, log: lines.join("\n") };
  } finally {
    await machine.halt();
  }
}

describe("TCP bulk between domains on two cores", () => {
  it("over the old 32-line ring (one frame per message, one message in flight) 1 MiB still arrives intact", async () => {
    const { code, r } = await bulk(1, "32:1516");
    expect(r.received).toBe(2 ** 20);
    expect(r.sinkSha256).toBe(r.sha256);
    expect(r.device).toMatchObject({ rxMalformed: 0, txErrors: 0 });
    expect(code).toBe(0);
  }, 180_000);

  it("moves 10 MiB intact from core 0 to core 1 (SHA-256 compared)", async () => {
    const lines: string[] = [];
    const machine = await Machine.boot({
      cores: 2,
      memoryBytes: 64 * 2 ** 20,
      console: (l) => lines.push(l),
    });
    try {
      await machine.spawn(example("net-tcp-bulk/sink.mjs"), { core: 1, args: ["test-tcp-bulk"] });
      const source = await machine.spawn(example("net-tcp-bulk/source.mjs"), {
        core: 0,
        args: ["test-tcp-bulk", "10"],
      });
      const code = await source.exited;
      const line = lines.find((l) => l.includes("RESULT "));
      expect(line, lines.join("\n")).toBeDefined();
      const r = JSON.parse((line as string).slice((line as string).indexOf("RESULT ") + 7)) as Result;
      expect(r.transport).toBe("urpc");
      expect(r.sent).toBe(10 * 2 ** 20);
      expect(r.received).toBe(r.sent);
      expect(r.sinkSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.sinkSha256).toBe(r.sha256);
      expect(r.intact).toBe(true);
      expect(r.device).toMatchObject({ rxMalformed: 0, txErrors: 0 });
      expect(code).toBe(0);
    } finally {
      await machine.halt();
    }
  }, 180_000);
});
