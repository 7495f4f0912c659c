import { afterEach, describe, expect, it } from "vitest";
import {
  BIG,
  PING,
  Recorder,
  SEQ,
  STR,
  staged,
  TEST_INFO,
  until,
} from "../../test/helpers/test-interface.js";
import type { Channel } from "../channel.js";
import { connectPair, openChannel } from "../connect.js";
import { isShoalError } from "../errors.js";

const open: Channel[] = [];
afterEach(async () => {
  for (const ch of open.splice(0)) await ch.close();
});

function pair(credits?: number): { a: Channel; b: Channel; ra: Recorder; rb: Recorder } {
  const [ea, eb] = connectPair("port", credits === undefined ? undefined : { credits });
  const a = openChannel(ea);
  const b = openChannel(eb);
  open.push(a, b);
  const ra = new Recorder();
  const rb = new Recorder();
  a.open(TEST_INFO, ra);
  b.open(TEST_INFO, rb);
  return { a, b, ra, rb };
}

describe("port channel, both ends in one thread", () => {
  it("delivers fast-path and general messages in order", async () => {
    const { a, rb } = pair();
    const base = a.tryLine();
    expect(base).toBe(0);
    a.words[0] = 11;
    a.publish(PING, 3);
    const text = new TextEncoder().encode("hello");
    await a.send(STR, 0, Uint32Array.of(1), 1, [text], null);
    await a.send(BIG, 0, staged(Array.from({ length: 40 }, (_, i) => i)), 40, null, null);
    await until(() => rb.seen.length === 3);
    expect(rb.seen.map((s) => s.num)).toEqual([PING, STR, BIG]);
    expect(rb.seen[0]?.token).toBe(3);
    expect(new TextDecoder().decode(rb.seen[1]?.runs[0])).toBe("hello");
  });

  it("applies credit-based backpressure: sends queue when credit runs out, all arrive in order", async () => {
    const { a, rb } = pair(4);
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) sends.push(a.send(SEQ, 0, Uint32Array.of(i), 1, null, null));
    expect(a.canSend()).toBe(false);
    await Promise.all(sends);
    await a.whenSendable();
    await until(() => rb.seen.length === 100);
    expect(rb.seen.map((s) => s.words[0])).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("reports malformed messages as BAD_MESSAGE", async () => {
    const { a, rb } = pair();
    await a.send(999, 0, Uint32Array.of(1), 1, null, null);
    await a.send(STR, 0, Uint32Array.of(1), 1, [new Uint8Array(5000)], null);
    await a.send(SEQ, 0, Uint32Array.of(3), 1, null, null);
    await until(() => rb.seen.length === 1 && rb.faults.length === 2);
    expect(rb.faults.every((f) => isShoalError(f, "BAD_MESSAGE"))).toBe(true);
  });

  it("close fails the peer with CLOSED", async () => {
    const { a, ra, rb } = pair();
    await a.close();
    await until(() => rb.closedWith !== null);
    expect(rb.closedWith?.code).toBe("CLOSED");
    expect(ra.closedWith?.code).toBe("CLOSED");
  });

  it("refuses capabilities with CAP_TRANSFER", async () => {
    const { a } = pair();
    const { CapRef } = await import("../caps.js");
    await expect(a.send(PING, 0, Uint32Array.of(0, 0), 2, null, [new CapRef("x")])).rejects.toSatisfy((e) =>
      isShoalError(e, "CAP_TRANSFER"),
    );
  });
});
