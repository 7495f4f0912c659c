import { afterEach, describe, expect, it } from "vitest";
import { PING, Recorder, SEQ, STR, TEST_INFO } from "../../test/helpers/test-interface.js";
import { CapRef } from "../caps.js";
import type { Channel, Receiver } from "../channel.js";
import { connectPair, openChannel } from "../connect.js";
import { isShoalError, type ShoalError } from "../errors.js";

const open: Channel[] = [];
afterEach(async () => {
  for (const ch of open.splice(0)) await ch.close();
});

function pair(): { a: Channel; b: Channel } {
  const [ea, eb] = connectPair("lrpc");
  const a = openChannel(ea);
  const b = openChannel(eb);
  open.push(a, b);
  return { a, b };
}

/** A receiver that only counts and answers: no recording, so 10 M messages cost no memory. */
function responder(onValues: (num: number, args: readonly unknown[]) => void): Receiver {
  return {
    onWords() {},
    onValues: (num, _token, args) => onValues(num, args),
    onRpcError() {},
    onFault(e: ShoalError) {
      throw e;
    },
    onClose() {},
  };
}

describe("lrpc", () => {
  it("runs a 10 million message ping-pong without growing the stack", async () => {
    const { a, b } = pair();
    const total = 10_000_000;
    let count = 0;
    b.open(
      TEST_INFO,
      responder((_n, args) => {
        count++;
        void b.sendValues(PING, 0, args);
      }),
    );
    a.open(
      TEST_INFO,
      responder((_n, args) => {
        count++;
        if (count < total) void a.sendValues(PING, 0, [(args[0] as bigint) + 1n]);
      }),
    );
    await a.sendValues(PING, 0, [0n]);
    expect(count).toBe(total);
  });

  it("keeps FIFO order, including messages sent before the peer opened", async () => {
    const { a, b } = pair();
    a.open(TEST_INFO, new Recorder());
    for (let i = 0; i < 10; i++) await a.sendValues(SEQ, 0, [i]);
    const rb = new Recorder();
    rb.onMessage = (s) => {
      // Sends from inside a handler queue behind what is already queued.
      if (s.values?.[0] === 0) void a.sendValues(SEQ, 0, [100]);
    };
    b.open(TEST_INFO, rb);
    expect(rb.seen.map((s) => s.values?.[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
  });

  it("copies byte arrays and plain objects so neither side can alter the other's data", async () => {
    const { a, b } = pair();
    a.open(TEST_INFO, new Recorder());
    const rb = new Recorder();
    b.open(TEST_INFO, rb);
    const bytes = Uint8Array.of(1, 2, 3);
    const point = { x: 1, inner: { ys: Int8Array.of(-1) } };
    await a.sendValues(STR, 0, [7, bytes, point]);
    bytes[0] = 99;
    point.inner.ys[0] = 5;
    const got = rb.seen[0]?.values as [number, Uint8Array, typeof point];
    expect(Array.from(got[1])).toEqual([1, 2, 3]);
    expect(got[2].inner.ys[0]).toBe(-1);
    got[1][1] = 42;
    expect(bytes[1]).toBe(2);
  });

  it("passes capability references between same-thread bindings", async () => {
    const { a, b } = pair();
    a.open(TEST_INFO, new Recorder());
    const rb = new Recorder();
    b.open(TEST_INFO, rb);
    const cap = new CapRef("frame 0x1000");
    await a.send(PING, 0, Uint32Array.of(1, 0), 2, null, [cap]);
    expect(rb.seen[0]?.caps[0]).toBe(cap);
  });

  it("close fails the peer's later sends with CLOSED and tells both receivers", async () => {
    const { a, b } = pair();
    const ra = new Recorder();
    const rb = new Recorder();
    a.open(TEST_INFO, ra);
    b.open(TEST_INFO, rb);
    await a.close();
    await expect(b.sendValues(PING, 0, [1n])).rejects.toSatisfy((e) => isShoalError(e, "CLOSED"));
    expect(ra.closedWith?.code).toBe("CLOSED");
    expect(rb.closedWith?.code).toBe("CLOSED");
  });

  it("fails both ends with BIND_MISMATCH", () => {
    const { a, b } = pair();
    const ra = new Recorder();
    const rb = new Recorder();
    a.open(TEST_INFO, ra);
    b.open({ ...TEST_INFO, fingerprint: "00000000000000000000000000000000" }, rb);
    expect(ra.closedWith?.code).toBe("BIND_MISMATCH");
    expect(rb.closedWith?.message).toContain("00000000000000000000000000000000");
  });

  it("refuses lrpc endpoints bound twice", () => {
    const [ea] = connectPair("lrpc");
    open.push(openChannel(ea));
    expect(() => openChannel(ea)).toThrow(expect.objectContaining({ code: "BAD_ENDPOINT" }));
  });

  it("direct calls: the peer's receiver when idle, null until the peer opens, when re-entrant and when closed", async () => {
    const { a, b } = pair();
    const ra = new Recorder();
    a.open(TEST_INFO, ra);
    expect(a.enterDirect()).toBeNull(); // b has not opened: its messages must stay parked in order
    const rb = new Recorder();
    b.open(TEST_INFO, rb);
    const peer = a.enterDirect();
    expect(peer).toBe(rb);
    // Inside a direct call (as in a handler) nothing may overtake the queue: sends queue behind it.
    expect(b.enterDirect()).toBeNull();
    await b.sendValues(SEQ, 0, [1]);
    expect(ra.seen).toHaveLength(0);
    peer?.onValues(SEQ, 0, [0]);
    a.leaveDirect();
    expect(ra.seen.map((s) => s.values?.[0])).toEqual([1]);
    expect(rb.seen.map((s) => s.values?.[0])).toEqual([0]);
    // After leaving, direct calls are possible again; a closed channel never offers one.
    const again = b.enterDirect();
    expect(again).toBe(ra);
    b.leaveDirect();
    await a.close();
    expect(a.enterDirect()).toBeNull();
    expect(b.enterDirect()).toBeNull();
  });
});
