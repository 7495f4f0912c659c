/**
 * Two interfaces over a faulty link (seeded drop, duplicate, reorder, single-bit corruption), driven by a
 * simulated clock: whatever the link does, the stacks never throw, never deliver bytes that were not sent
 * (checksums catch every corruption of a covered byte), and give back all reassembly memory once the
 * timeouts pass.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Interface } from "../src/iface/interface.js";
import { totalDrops } from "../src/iface/stats.js";
import { FaultDevice } from "../src/phy/fault.js";
import { pairDevices } from "../src/phy/pair.js";
import { UdpLayer } from "../src/socket/udp.js";
import { LINUX_IP, LINUX_MAC, STACK_IP, STACK_MAC } from "./fixtures.js";

function payloadFor(i: number, size: number): Uint8Array {
  const p = new Uint8Array(size);
  for (let k = 0; k < size; k++) p[k] = (i * 131 + k * 7) & 0xff;
  p[0] = i & 0xff;
  p[1] = i >>> 8;
  return p;
}

function simulate(seed: number, sizes: number[]) {
  const [da, db] = pairDevices({ queueLimit: 100_000 });
  const faults = { drop: 0.05, duplicate: 0.05, reorder: 0.2, reorderDelayMs: 30, corrupt: 0.1 };
  const a = new Interface(new FaultDevice(da, { seed, ...faults }), { mac: LINUX_MAC, ip: LINUX_IP });
  const b = new Interface(new FaultDevice(db, { seed: seed + 1, ...faults }), {
    mac: STACK_MAC,
    ip: STACK_IP,
    reassembly: { timeoutMs: 2000 },
  });
  const ua = new UdpLayer();
  const ub = new UdpLayer();
  a.addProtocol(ua);
  b.addProtocol(ub);
  const got: Uint8Array[] = [];
  ub.bind(7, { onDatagram: (d) => got.push(d.data) });
  const ep = ua.bind(5000, { onDatagram: () => {} });
  let now = 0;
  sizes.forEach((size, i) => {
    ep.send(payloadFor(i, size), STACK_IP, 7);
    for (let k = 0; k < 3; k++) {
      now += 5;
      a.poll(now);
      b.poll(now);
    }
  });
  // Let ARP retries, delayed frames and reassembly timeouts run out.
  for (let k = 0; k < 200; k++) {
    now += 50;
    a.poll(now);
    b.poll(now);
  }
  return { a, b, got };
}

describe("UDP over a faulty link", () => {
  it("delivers only datagrams that were sent, intact, and frees reassembly memory", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 2, max: 4000 }), { minLength: 1, maxLength: 40 }),
        (seed, sizes) => {
          const { b, got } = simulate(seed, sizes);
          for (const d of got) {
            const i = (d[0] as number) | ((d[1] as number) << 8);
            expect(i).toBeLessThan(sizes.length);
            expect(Buffer.from(d).equals(Buffer.from(payloadFor(i, sizes[i] as number)))).toBe(true);
          }
          expect(b.reassembler.size).toBe(0);
          expect(b.reassembler.bytes).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("drops and counts corrupted frames (a long run with a fixed seed)", () => {
    const sizes = Array.from({ length: 300 }, (_, i) => 100 + ((i * 37) % 3000));
    const { a, b, got } = simulate(12345, sizes);
    expect(got.length).toBeGreaterThan(150);
    expect(totalDrops(b.stats) + totalDrops(a.stats)).toBeGreaterThan(0);
    expect(b.stats.drops.ipv4["bad-checksum"] + b.stats.drops.l4["bad-checksum"]).toBeGreaterThan(0);
  });
});
