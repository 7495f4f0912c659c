import { describe, expect, it } from "vitest";
import { NetStack } from "../socket/stack.js";
import { BatchDevice, type FramePort, splitBatch } from "./batch-device.js";

/** Two batch devices joined by ports that hand batches over asynchronously, as a channel does. */
function joined(options: { inFlightLimit?: number } = {}): [BatchDevice, BatchDevice, number[]] {
  const sizes: number[] = [];
  let a: BatchDevice | undefined;
  let b: BatchDevice | undefined;
  const port = (to: () => BatchDevice | undefined): FramePort => ({
    send: (count, data) => {
      sizes.push(count);
      return new Promise((resolve) =>
        setImmediate(() => {
          to()?.deliverBatch(count, data.slice());
          resolve();
        }),
      );
    },
  });
  a = new BatchDevice(
    port(() => b),
    options,
  );
  b = new BatchDevice(
    port(() => a),
    options,
  );
  return [a, b, sizes];
}

describe("splitBatch", () => {
  it("splits length-prefixed frames and rejects batches that lie", () => {
    const data = Uint8Array.from([0, 2, 7, 8, 0, 1, 9]);
    expect(splitBatch(2, data)?.map((f) => [...f])).toEqual([[7, 8], [9]]);
    expect(splitBatch(3, data)).toBeUndefined(); // count too high
    expect(splitBatch(1, data)).toBeUndefined(); // trailing bytes
    expect(splitBatch(1, Uint8Array.from([0, 5, 1]))).toBeUndefined(); // length past the end
    expect(splitBatch(1, Uint8Array.from([0, 0]))).toBeUndefined(); // empty frame
    expect(splitBatch(1, Uint8Array.from([0, 3, 1, 2, 3]), 2)).toBeUndefined(); // over maxFrame
  });
});

describe("BatchDevice", () => {
  it("batches a turn's frames into one message and delivers them in order", async () => {
    const [a, b, sizes] = joined();
    for (let i = 0; i < 5; i++) expect(a.transmit(0, 100, (f) => f.fill(i + 1))).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(sizes).toEqual([5]);
    const got: number[] = [];
    for (let f = b.receive(0); f !== undefined; f = b.receive(0)) got.push(f[0] as number, f.length);
    expect(got).toEqual([1, 100, 2, 100, 3, 100, 4, 100, 5, 100]);
  });

  it("splits a batch when it would pass batchBytes and refuses when too many are in flight", () => {
    const [a] = joined({ inFlightLimit: 2 });
    let sent = 0;
    while (a.transmit(0, 1514, () => {}) && sent < 1000) sent++;
    // 10 frames of 1516 bytes fill one 16 KiB batch; two in flight plus the open one.
    expect(sent).toBe(30);
    expect(a.stats.txFull).toBe(1);
    expect(a.transmit(0, 2000, () => {})).toBe(false);
  });

  it("reuses a batch's memory only after its send settled, zeroed", async () => {
    const held: { data: Uint8Array; copy: number[]; settle: () => void }[] = [];
    const dev = new BatchDevice(
      {
        send: (_count, data) =>
          new Promise<void>((resolve) => {
            held.push({ data, copy: [...data], settle: resolve });
          }),
      },
      { maxFrame: 60, batchBytes: 130 },
    );
    const frame = (byte: number) => dev.transmit(0, 60, (v) => v.fill(byte));
    frame(1);
    frame(2);
    frame(3); // 62 + 62 + 62 > 130: the first batch (frames 1, 2) goes
    await Promise.resolve();
    frame(4); // the microtask flushed batch 2 (frame 3); frame 4 opens batch 3
    await Promise.resolve();
    expect(held).toHaveLength(3);
    // Nothing settled: every batch's memory is its own and unchanged.
    for (const h of held) expect([...h.data]).toEqual(h.copy);
    expect(new Set(held.map((h) => h.data.buffer)).size).toBe(3);
    held[0]?.settle();
    await new Promise((r) => setImmediate(r));
    for (const h of held.slice(1)) expect([...h.data]).toEqual(h.copy);
    // The batch opened at the last flush is fresh; the one after it takes the settled buffer, zeroed.
    frame(5);
    await Promise.resolve();
    expect(held).toHaveLength(4);
    expect(new Set(held.map((h) => h.data.buffer)).size).toBe(4);
    let seen: number[] = [];
    dev.transmit(0, 60, (v) => {
      seen = [...v];
      v.fill(6);
    });
    await Promise.resolve();
    expect(held).toHaveLength(5);
    expect(held[4]?.data.buffer).toBe(held[0]?.data.buffer);
    expect(seen).toEqual(new Array(60).fill(0));
    expect(held[4]?.copy).toEqual([0, 60, ...new Array(60).fill(6)]);
    for (const h of held.slice(1, 4)) expect([...h.data]).toEqual(h.copy);
  });

  it("counts and drops a malformed batch without crashing", () => {
    const [a] = joined();
    a.deliverBatch(2, Uint8Array.from([0, 9, 1]));
    expect(a.stats.rxMalformed).toBe(1);
    expect(a.receive(0)).toBeUndefined();
  });

  it("carries UDP between two stacks", async () => {
    const [a, b] = joined();
    const sa = new NetStack({ device: a, mac: "02:00:00:00:00:01", ip: "10.78.0.1", prefix: 24 });
    const sb = new NetStack({ device: b, mac: "02:00:00:00:00:02", ip: "10.78.0.2", prefix: 24 });
    try {
      const rx = sb.createUdpSocket();
      await rx.bind(7000);
      const tx = sa.createUdpSocket();
      const payload = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
      for (let i = 0; i < 20; i++) await tx.send(payload, 7000, "10.78.0.2");
      for (let i = 0; i < 20; i++) {
        const m = await rx.receive();
        expect(new Uint8Array(m?.data ?? [])).toEqual(payload);
        expect(m?.rinfo.address).toBe("10.78.0.1");
      }
    } finally {
      await sa.close();
      await sb.close();
    }
  });
});
