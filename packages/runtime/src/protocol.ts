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
