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

/** Port message kinds as posted (port-channel.ts): a message, a credit return of its own. */
const K_MSG = 0;
const K_CREDIT = 1;

function pair(credits?: number, tap?: { a: unknown[]; b: unknown[] }) {
  const [ea, eb] = connectPair("port", credits === undefined ? undefined : { credits });
  if (tap !== undefined && ea.transport === "port" && eb.transport === "port") {
    // Record what each end posts (the channel posts through its endpoint's port).
    for (const [ep, log] of [
      [ea, tap.a],
      [eb, tap.b],
    ] as const) {
      const post = ep.port.postMessage.bind(ep.port);
      ep.port.postMessage = (m: unknown) => {
        log.push(m);
        post(m);
      };
    }
  }
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

  it("returns credits on the messages going back: a ping-pong posts no credit message of its own", async () => {
    const tap = { a: [] as unknown[], b: [] as unknown[] };
    const { a, b, ra, rb } = pair(undefined, tap);
    for (let i = 0; i < 50; i++) {
      await a.send(SEQ, 0, Uint32Array.of(i), 1, null, null);
      await until(() => rb.seen.length === i + 1);
      await b.send(SEQ, 0, Uint32Array.of(i), 1, null, null);
      await until(() => ra.seen.length === i + 1);
    }
    const kinds = (log: unknown[]) => log.map((m) => (m as unknown[])[0]);
    expect(kinds(tap.a).filter((k) => k === K_CREDIT)).toEqual([]);
    expect(kinds(tap.b).filter((k) => k === K_CREDIT)).toEqual([]);
    // Each message after the first carries the one credit its sender owed.
    expect(tap.b.filter((m) => (m as unknown[])[0] === K_MSG).map((m) => (m as unknown[])[5])).toContain(1);
    expect(a.canSend() && b.canSend()).toBe(true);
  });

  it("returns credits on their own to a one-way sender, half a window at a time", async () => {
    const tap = { a: [] as unknown[], b: [] as unknown[] };
    const { a, rb } = pair(8, tap);
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) sends.push(a.send(SEQ, 0, Uint32Array.of(i), 1, null, null));
    await Promise.all(sends);
    await until(() => rb.seen.length === 40);
    const credits = tap.b.filter((m) => (m as unknown[])[0] === K_CREDIT).map((m) => (m as unknown[])[1]);
    expect(credits).toEqual(Array.from({ length: 10 }, () => 4));
  });

  it("reports a credit return larger than the window could owe as BAD_MESSAGE, and keeps its credits", async () => {
    const [ea, eb] = connectPair("port", { credits: 4 });
    const b = openChannel(eb);
    open.push(b);
    const rb = new Recorder();
    b.open(TEST_INFO, rb);
    if (ea.transport !== "port") throw new Error("not a port endpoint");
    ea.port.postMessage([K_CREDIT, 1000]);
    ea.port.postMessage([K_MSG, SEQ, 0, Uint32Array.of(1), null, -1]);
    await until(() => rb.faults.length === 2);
    expect(rb.faults.every((f) => isShoalError(f, "BAD_MESSAGE"))).toBe(true);
    expect(rb.seen).toEqual([]);
    ea.port.close();
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
