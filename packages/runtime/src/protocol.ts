/**
 * The URPC line: the one wire unit shared by the stub compiler and the runtime (Flounder's UMP
 * layout on 32-bit words). Both sides import these names; no offset is written as a bare number.
 *
 *   word:  0            13 14      15
 *         +--------------+--------+---------+
 *         | payload (14) | token  | control |   64 bytes, one cache line
 *         +--------------+--------+---------+
 *
 * The control word is written last (Atomics.store) and is the word the receiver polls.
 */

/** Bytes in one line (one cache line). */
export const LINE_BYTES = 64;
/** 32-bit words in one line. */
export const LINE_WORDS = 16;
/** Payload words in one line, before the header. */
export const PAYLOAD_WORDS = 14;
/** Word index of the RPC token in a line. */
export const TOKEN_WORD = 14;
/** Word index of the control word (message number, framing, epoch), published last. */
export const CONTROL_WORD = 15;

/** Reserved message numbers (Flounder): 0 dummy, 1 bind, 2 bind reply; interfaces count from 3. */
export const MSGNUM_DUMMY = 0;
export const MSGNUM_BIND = 1;
export const MSGNUM_BIND_REPLY = 2;
export const FIRST_MSGNUM = 3;

/*
 * Control word bit fields (the word at CONTROL_WORD, published last with Atomics.exchange):
 *
 *   bit   31     30     29     28     27      26 ...... 16   15 ......... 0
 *       +------+------+------+------+-------+--------------+----------------+
 *       |epoch |first | last | caps | sleep | line in msg  | message number |
 *       +------+------+------+------+-------+--------------+----------------+
 *
 * `epoch` is the lap parity of the ring slot: the sender writes 1 on its first lap round the ring,
 * 0 on the second, and so on. A zeroed ring therefore reads as empty, and the receiver never has
 * to write a line to mark it free (see docs/urpc-flow-control.md).
 * `sleep` is the one bit a receiver writes: before its dispatcher blocks, it sets it (compare-and-swap)
 * on the empty slot it waits at. The sender publishes with an exchange, so it learns from the old
 * value whether to ring the receiver's doorbell, without a second atomic per message.
 */

/** The epoch bit: lap parity of the slot, flips every time the sender wraps round the ring. */
export const CTRL_EPOCH = 0x8000_0000;
/** Set on the first line of a message. */
export const CTRL_FIRST = 0x4000_0000;
/** Set on the last line of a message (a one-line message has both FIRST and LAST). */
export const CTRL_LAST = 0x2000_0000;
/** Set on the first line of a message that carries capabilities out of band. */
export const CTRL_CAPS = 0x1000_0000;
/** Set by a blocked receiver on the empty slot it waits at: whoever publishes there rings its doorbell. */
export const CTRL_SLEEPING = 0x0800_0000;
/** Shift of the line-within-message counter (modulo {@link CTRL_LINE_MASK} + 1), checked by the receiver. */
export const CTRL_LINE_SHIFT = 16;
/** Mask of the line-within-message counter after shifting. */
export const CTRL_LINE_MASK = 0x7ff;
/** Mask of the message number. */
export const CTRL_MSGNUM_MASK = 0xffff;

/** Reserved message number of the runtime's "your rpc handler failed" message (token + UTF-8 text). */
export const MSGNUM_RPC_ERROR = 0xffff;
/** Words of the bind message: the 128-bit interface fingerprint. */
export const BIND_WORDS = 4;
/** Bytes of an overflow run carried by its first line (word 0 holds the run's byte length). */
export const RUN_FIRST_LINE_BYTES = (PAYLOAD_WORDS - 1) * 4;
/** Bytes of an overflow run carried by each following line. */
export const RUN_LINE_BYTES = PAYLOAD_WORDS * 4;

/**
 * Fixed words are kept in line layout everywhere (ring, staging arrays, port messages): word `k` of a
 * message is word `k % 14` of its line `k / 14`, lines {@link LINE_WORDS} apart. So a message of several
 * lines decodes straight from the ring, and the same encoder and decoder serve every transport.
 */
export function fixedWordAt(k: number): number {
  return Math.floor(k / PAYLOAD_WORDS) * LINE_WORDS + (k % PAYLOAD_WORDS);
}

/** Length of the line-layout array that holds `words` fixed words (0 for none). */
export function stagedLength(words: number): number {
  return words === 0 ? 0 : fixedWordAt(words - 1) + 1;
}

/** Lines an overflow run of `bytes` bytes occupies on the wire (at least one: the length word). */
export function runLines(bytes: number): number {
  return bytes <= RUN_FIRST_LINE_BYTES ? 1 : 1 + Math.ceil((bytes - RUN_FIRST_LINE_BYTES) / RUN_LINE_BYTES);
}
