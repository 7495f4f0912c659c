/**
 * Two interfaces over a faulty link (seeded drop, duplicate, reorder, single-bit corruption), driven by a
 * simulated clock: whatever the link does, the stacks never throw, never deliver a datagram whose corruption
 * the checksums can see, and give back all reassembly memory once the timeouts pass.
 *
 * The Internet checksum (RFC 1071) catches any single corrupted byte, but not two errors that cancel in the
 * one's-complement sum: fast-check found seed 17, sizes [2,2,2,2,2,3444,2], where two fragments of one
 * datagram each lost and gained bit 7 of a low byte. Linux and lwIP deliver that datagram too, so the
 * property is what the checksum promises: a delivered datagram is the one sent, or differs from it in two
 * or more bytes whose errors sum to zero.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Interface } from "../src/iface/interface.js";
import { totalDrops } from "../src/iface/stats.js";
import { FaultDevice } from "../src/phy/fault.js";
import { pairDevices } from "../src/phy/pair.js";
import { UdpLayer } from "../src/socket/udp.js";
import { checksum } from "../src/wire/checksum.js";
import { LINUX_IP, LINUX_MAC, STACK_IP, STACK_MAC } from "./fixtures.js";

function payloadFor(i: number, size: number): Uint8Array {
  const p = new Uint8Array(size);
  for (let k = 0; k < size; k++) p[k] = (i * 131 + k * 7) & 0xff;
  p[0] = i & 0xff;
  p[1] = i >>> 8;
  return p;
}

/** How a delivered datagram relates to the one sent with the same index. */
function compare(got: Uint8Array, sent: Uint8Array): "same" | "checksum-blind" | "detectable" {
  if (got.length !== sent.length) return "detectable";
  let differing = 0;
  for (let k = 0; k < got.length; k++) if (got[k] !== sent[k]) differing++;
  if (differing === 0) return "same";
  // The payload starts at an even offset of the UDP segment, so its own sum stands for the segment's.
  const blind = differing >= 2 && checksum(got, 0, got.length) === checksum(sent, 0, sent.length);
  return blind ? "checksum-blind" : "detectable";
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
            expect(compare(d, payloadFor(i, sizes[i] as number))).not.toBe("detectable");
          }
          expect(b.reassembler.size).toBe(0);
          expect(b.reassembler.bytes).toBe(0);
        },
      ),
      { numRuns: Number(process.env.NET_FAULT_RUNS ?? 40) },
    );
  });

  it("delivers the datagram whose two corruptions cancel in the checksum (seed 17, found by fast-check)", () => {
    const sizes = [2, 2, 2, 2, 2, 3444, 2];
    const { got } = simulate(17, sizes);
    const verdicts = got.map((d) => compare(d, payloadFor(d[0] as number, sizes[d[0] as number] as number)));
    expect(verdicts).toContain("checksum-blind");
    expect(verdicts).not.toContain("detectable");
  });

  it("drops and counts corrupted frames (a long run with a fixed seed)", () => {
    const sizes = Array.from({ length: 300 }, (_, i) => 100 + ((i * 37) % 3000));
    const { a, b, got } = simulate(12345, sizes);
    expect(got.length).toBeGreaterThan(150);
    expect(totalDrops(b.stats) + totalDrops(a.stats)).toBeGreaterThan(0);
    expect(b.stats.drops.ipv4["bad-checksum"] + b.stats.drops.l4["bad-checksum"]).toBeGreaterThan(0);
  });
});
