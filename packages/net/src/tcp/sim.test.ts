import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Rng } from "../phy/rng.js";
import { LinkSim, SIM_B_IP } from "./link-sim.js";
import type { TcpSocket } from "./socket.js";

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed: number): Uint8Array {
  const r = new Rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = r.int(256);
  return out;
}

/** Send `data` from a to b over `sim`, reading as it arrives; returns what b received. */
function transfer(sim: LinkSim, data: Uint8Array, maxTime = 3_600_000) {
  let server: TcpSocket | undefined;
  sim.tcpB.listen(80, (s) => {
    server = s;
  });
  const client = sim.tcpA.connect(SIM_B_IP, 80);
  let sent = 0;
  let closed = false;
  const hash = createHash("sha256");
  let received = 0;
  const buf = new Uint8Array(65536);
  const ok = sim.run(() => {
    if (sent < data.length) sent += client.send(data.subarray(sent, Math.min(data.length, sent + 65536)));
    else if (!closed) {
      client.close();
      closed = true;
    }
    if (server !== undefined) {
      for (;;) {
        const n = server.recv(buf);
        if (n === 0) break;
        hash.update(buf.subarray(0, n));
        received += n;
      }
      if (server.atEof && server.state === "CLOSE-WAIT") server.close();
    }
    return server !== undefined && server.state === "CLOSED" && client.state === "TIME-WAIT";
  }, maxTime);
  return { ok, received, digest: hash.digest("hex"), client, server };
}

describe("TCP over a simulated link", () => {
  it("moves 1 MB intact over a clean link and closes both ends", () => {
    const sim = new LinkSim();
    const data = bytes(1 << 20, 1);
    const r = transfer(sim, data);
    expect(r.ok).toBe(true);
    expect(r.received).toBe(data.length);
    expect(r.digest).toBe(createHash("sha256").update(data).digest("hex"));
    expect(r.client.stats.retransmits).toBe(0);
  });

  it("moves 10 MB intact at 5% loss with duplication, reordering and corruption (seeded)", () => {
    const faults = (seed: number) => ({
      seed,
      drop: 0.05,
      duplicate: 0.01,
      reorder: 0.02,
      reorderDelayMs: 5,
      corrupt: 0.002,
    });
    const sim = new LinkSim({ faultsAtoB: faults(7), faultsBtoA: faults(11) });
    const data = bytes(10 << 20, 2);
    const r = transfer(sim, data);
    expect(r.ok).toBe(true);
    expect(r.received).toBe(data.length);
    expect(r.digest).toBe(createHash("sha256").update(data).digest("hex"));
    const [ab, ba] = sim.faults;
    expect(ab?.stats.dropped).toBeGreaterThan(300);
    expect(ba?.stats.dropped).toBeGreaterThan(100);
    expect(r.client.stats.retransmits).toBeGreaterThan(0);
    expect(r.client.stats.fastRetransmits).toBeGreaterThan(0);
  });
});
