import { describe, expect, it } from "vitest";
import { isNetError } from "../errors.js";
import { FaultDevice } from "./fault.js";
import { pairDevices } from "./pair.js";

function frame(i: number): (f: Uint8Array) => void {
  return (f) => {
    f[0] = i & 0xff;
    f[1] = i >>> 8;
  };
}

function drainIds(dev: { receive(now: number): Uint8Array | undefined }, now = 0): number[] {
  const out: number[] = [];
  for (let f = dev.receive(now); f !== undefined; f = dev.receive(now))
    out.push((f[0] as number) | ((f[1] as number) << 8));
  return out;
}

describe("pair devices", () => {
  it("deliver in order, wake the receiver on the first frame, refuse when full", () => {
    const [a, b] = pairDevices({ queueLimit: 3 });
    let wakes = 0;
    b.setWaker(() => wakes++);
    for (let i = 0; i < 3; i++) expect(a.transmit(0, 60, frame(i))).toBe(true);
    expect(a.transmit(0, 60, frame(3))).toBe(false);
    expect(a.stats.txFull).toBe(1);
    expect(wakes).toBe(1);
    expect(drainIds(b)).toEqual([0, 1, 2]);
    expect(a.transmit(0, 2000, frame(0))).toBe(false);
    expect(() => pairDevices({ queueLimit: 0 })).toThrow(/queueLimit/);
  });
});

describe("FaultDevice", () => {
  function run(seed: number, n: number, opts: object) {
    const [a, b] = pairDevices({ queueLimit: 10_000 });
    const f = new FaultDevice(a, { seed, ...opts });
    for (let i = 0; i < n; i++) f.transmit(i, 60, frame(i));
    f.receive(1_000_000); // release everything still delayed
    return { ids: drainIds(b), stats: f.stats };
  }

  it("is deterministic for a seed", () => {
    const opts = { drop: 0.1, duplicate: 0.05, reorder: 0.2, reorderDelayMs: 5, corrupt: 0.05 };
    expect(run(7, 500, opts)).toEqual(run(7, 500, opts));
    expect(run(7, 500, opts).ids).not.toEqual(run(8, 500, opts).ids);
  });

  it("drops, duplicates and reorders at about the configured rates", () => {
    const { ids, stats } = run(1, 4000, { drop: 0.1, duplicate: 0.05, reorder: 0.1, reorderDelayMs: 20 });
    expect(stats.dropped / 4000).toBeGreaterThan(0.07);
    expect(stats.dropped / 4000).toBeLessThan(0.13);
    expect(stats.duplicated).toBeGreaterThan(100);
    expect(ids.length).toBe(4000 - stats.dropped + stats.duplicated);
    const inversions = ids.filter((v, i) => i > 0 && v < (ids[i - 1] as number)).length;
    expect(inversions).toBeGreaterThan(50);
  });

  it("corrupts exactly one bit of a corrupted frame", () => {
    const [a, b] = pairDevices();
    const f = new FaultDevice(a, { seed: 3, corrupt: 1 });
    f.transmit(0, 64, (x) => x.fill(0));
    const got = b.receive(0) as Uint8Array;
    const bits = got.reduce((n, v) => n + v.toString(2).replaceAll("0", "").length, 0);
    expect(bits).toBe(1);
  });

  it("holds delayed frames until the clock passes their due time and reports it in pollAt", () => {
    const [a, b] = pairDevices();
    const f = new FaultDevice(a, { seed: 1, reorder: 1, reorderDelayMs: 10 });
    f.transmit(100, 60, frame(1));
    expect(b.receive(100)).toBeUndefined();
    const due = f.pollAt(100);
    expect(due).toBeGreaterThan(100);
    expect(due).toBeLessThanOrEqual(110);
    f.receive(due);
    expect(drainIds(b)).toEqual([1]);
  });

  it("validates probabilities", () => {
    const [a] = pairDevices();
    expect(() => new FaultDevice(a, { seed: 1, drop: 1.5 })).toThrow(/drop must be in/);
    let caught: unknown;
    try {
      new FaultDevice(a, { seed: 1, corrupt: -1 });
    } catch (e) {
      caught = e;
    }
    expect(isNetError(caught, "BAD_OPTION")).toBe(true);
  });
});
