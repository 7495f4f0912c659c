/**
 * Shared-memory layout of the raw-sab baseline (the floor): a hand-written two-thread ping-pong and a
 * hand-written ring, no stubs. Both live in one page-aligned WebAssembly memory page so every 64-byte
 * line is exactly one cache line (a plain SharedArrayBuffer is only 16-byte aligned).
 *
 *   line 0   ping line (main → worker)            value in words 0-1, sequence in word 15 (PING)
 *   line 1   pong line (worker → main)            the value echoed in words 0-1, sequence in word 15 (PONG)
 *   line 2   CONSUMED (ring lines consumed)       written by the receiver, read by the sender when full
 *   line 3   RECEIVED (messages counted)          written by the receiver, polled by main at the end
 *   line 4   STOP word                            set by main to make a stuck worker give up
 *   line 8+  ring: CAPACITY lines of 16 words, the URPC line shape:
 *
 *            word 0 .. 13       14      15
 *            +--------------+-------+---------+
 *            | payload (14) | token | control |   control = line sequence + 1, stored last
 *            +--------------+-------+---------+
 *
 * The ring is empty when the receiver's sequence equals the sender's, full when the sender is
 * CAPACITY lines ahead of CONSUMED. Sequences only grow (across runs too), so a line's control word
 * never equals a stale value and nothing has to be cleared.
 */

/** 32-bit words per 64-byte line. */
export const LINE_WORDS = 16;
/** Payload words per line (the same 14 as a URPC line, so ratios compare equal work). */
export const PAYLOAD_WORDS = 14;
/** Word index, inside a line, of the token word (the message index; unused by the receiver). */
export const TOKEN_WORD = 14;
/** Word index, inside a line, of the control word the receiver polls. */
export const CONTROL_WORD = 15;

/**
 * Word index of the ping's 64-bit value (two words, main → worker). The floor carries the same 8 bytes
 * as `ping(uint64)`: written with plain stores before the sequence is published, in the same line.
 */
export const PING_VALUE = 0 * LINE_WORDS;
/** Word index of the ping sequence (main → worker), the last word of the ping line. */
export const PING = PING_VALUE + CONTROL_WORD;
/** Word index of the pong's 64-bit value (two words: the ping's value echoed, worker → main). */
export const PONG_VALUE = 1 * LINE_WORDS;
/** Word index of the pong sequence (worker → main), the last word of the pong line. */
export const PONG = PONG_VALUE + CONTROL_WORD;
/** Word index of the count of ring lines the receiver has consumed (flow control). */
export const CONSUMED = 2 * LINE_WORDS;
/** Word index of the count of messages the receiver has fully read. */
export const RECEIVED = 3 * LINE_WORDS;
/** Word index of the stop flag (non-zero: abandon the current loop). */
export const STOP = 4 * LINE_WORDS;
/** Word index of the first ring line. */
export const RING = 8 * LINE_WORDS;

/** Messages in flight: the ring holds this many messages of the current size. */
export const RING_MESSAGES = 16;
/** Largest payload the ring is sized for. */
export const MAX_PAYLOAD_BYTES = 2048;

/** Lines one message of `payloadBytes` occupies: 14 payload words per line. */
export function linesPerMessage(payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / 4 / PAYLOAD_WORDS));
}

/** Bytes of shared memory the layout needs (fits in one 64 KiB WebAssembly page). */
export const MEMORY_BYTES = (RING + RING_MESSAGES * linesPerMessage(MAX_PAYLOAD_BYTES) * LINE_WORDS) * 4;

/** `WebAssembly.Memory`, typed locally: the Node typings this repository uses do not declare WebAssembly. */
const WasmMemory = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (d: { initial: number; maximum: number; shared: true }) => { buffer: SharedArrayBuffer };
    };
  }
).WebAssembly.Memory;

/** A fresh page-aligned shared memory for the layout. */
export function allocateRawMemory(): SharedArrayBuffer {
  const pages = Math.ceil(MEMORY_BYTES / 65536);
  const memory = new WasmMemory({ initial: pages, maximum: pages, shared: true });
  return memory.buffer;
}

/** Spins between clock reads or stop-flag checks (a clock read costs ~60 ns; this keeps it rare). */
export const SPINS_PER_CHECK = 4096;
