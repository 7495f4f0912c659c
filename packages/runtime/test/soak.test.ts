// Sequence-numbered messages between two workers (urpc and port): none lost, duplicated or reordered.
// CI runs a short version; scripts/soak-long.mjs runs millions.
import { afterEach, describe, expect, it } from "vitest";
import { connectPair, type Transport } from "../src/index.js";
import { spawnPeer, terminateAll } from "./helpers/workers.js";

afterEach(terminateAll);

const COUNT: Record<Transport, number> = { urpc: 200_000, port: 20_000, lrpc: 0 };

describe.each([
  ["urpc", "send"],
  ["port", "send"],
  ["urpc", "send-big"],
] as const)("soak over %s between two workers (%s)", (transport, role) => {
  it("delivers every message exactly once, in order, through a small ring", async () => {
    const [ea, eb] = connectPair(transport, transport === "urpc" ? { lines: 8 } : { credits: 16 });
    const checker = spawnPeer("check", eb);
    const sender = spawnPeer(role, ea, { count: COUNT[transport] / (role === "send-big" ? 4 : 1) });
    await checker.next((r) => r.ready === true);
    const total = COUNT[transport] / (role === "send-big" ? 4 : 1);
    await sender.next((r) => r.sent === total, 60_000);
    const t0 = Date.now();
    let report: Record<string, unknown> = {};
    while (Date.now() - t0 < 30_000) {
      const before = checker.reports.length;
      checker.worker.postMessage("report");
      report = await checker.next((r) => "received" in r && checker.reports.indexOf(r) >= before);
      if (report.received === total) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(report).toMatchObject({ received: total, errors: 0, firstError: "" });
    sender.worker.postMessage("close");
    await checker.next((r) => r.closed === "CLOSED");
  });
});
