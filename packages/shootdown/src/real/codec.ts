/**
 * Wire messages as eight 32-bit words, for the real-core mailboxes. Only what a shootdown needs is
 * encoded (invalidate rounds and their verdicts); a two-phase-commit body carries a string key and
 * is refused here with BAD_MESSAGE (the simulator carries objects; a monitor would use its IDL).
 *
 * ```
 *  down: [1, round, root, forward, base_lo, base_hi, pages, 0]
 *  up:   [2, round, from, ok, refusing core, 0, 0, 0]
 * ```
 */

import type { Wire } from "@shoal/agreement";
import { ShootdownError } from "../errors.js";

const DOWN = 1;
const UP = 2;
const TWO32 = 2 ** 32;

/** Writes `msg` at `w[at..at+8)`. */
export function encodeWire(msg: Wire, w: Int32Array, at: number): void {
  if (msg.t === "down") {
    if (msg.body.kind !== "invalidate") {
      throw new ShootdownError(
        "BAD_MESSAGE",
        `the real-core codec carries invalidations only, not ${msg.body.kind}`,
      );
    }
    const { base, pages } = msg.body.range;
    w[at] = DOWN;
    w[at + 1] = msg.round;
    w[at + 2] = msg.root;
    w[at + 3] = msg.forward ? 1 : 0;
    w[at + 4] = (base % TWO32) | 0;
    w[at + 5] = Math.floor(base / TWO32);
    w[at + 6] = pages;
    return;
  }
  w[at] = UP;
  w[at + 1] = msg.round;
  w[at + 2] = msg.from;
  w[at + 3] = msg.verdict.ok ? 1 : 0;
  w[at + 4] = msg.verdict.ok ? -1 : msg.verdict.core;
}

/** Reads the message at `w[at..at+8)`. */
export function decodeWire(w: Int32Array, at: number): Wire {
  const kind = w[at];
  if (kind === DOWN) {
    const base = ((w[at + 4] ?? 0) >>> 0) + (w[at + 5] ?? 0) * TWO32;
    return {
      t: "down",
      round: w[at + 1] ?? 0,
      root: w[at + 2] ?? 0,
      forward: w[at + 3] === 1,
      body: { kind: "invalidate", range: { base, pages: w[at + 6] ?? 0 } },
    };
  }
  if (kind === UP) {
    const ok = w[at + 3] === 1;
    return {
      t: "up",
      round: w[at + 1] ?? 0,
      from: w[at + 2] ?? 0,
      verdict: ok
        ? { ok: true }
        : { ok: false, core: w[at + 4] ?? -1, reason: "REFUSED", message: `core ${w[at + 4]} refused` },
    };
  }
  throw new ShootdownError("BAD_MESSAGE", `message kind ${kind} is neither down (1) nor up (2)`);
}
