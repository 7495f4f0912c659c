/**
 * Validation of an endpoint before it is opened. An endpoint may come from anywhere (posted by another
 * thread, deserialized, forged through `any`), and its fields decide which memory the channel reads:
 * every field is checked against what connectPair makes, so a bad one is BAD_ENDPOINT at open and never
 * an out-of-bounds read at the first poll.
 */
import { MessagePort } from "node:worker_threads";
import type { Endpoint } from "./endpoint.js";
import { ShoalError } from "./errors.js";
import { MAX_RECEIVE_BUDGET, MIN_RECEIVE_BUDGET } from "./options.js";
import { MAGIC, memoryBytes, W_LINES, W_MAGIC } from "./urpc/layout.js";

function bad(what: string): never {
  throw new ShoalError("BAD_ENDPOINT", `not a usable shoal endpoint: ${what}`);
}

function integerIn(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
}

/** Throws BAD_ENDPOINT naming the first field of `ep` that connectPair could not have made. */
export function checkEndpoint(ep: Endpoint): void {
  if (!integerIn(ep.sendQueue, 1, 1_000_000)) bad(`sendQueue ${String(ep.sendQueue)} is not 1..1000000`);
  switch (ep.transport) {
    case "urpc": {
      const { memory, lines } = ep;
      const offset = ep.offset ?? 0;
      if (!(memory instanceof SharedArrayBuffer)) bad("urpc endpoint without shared memory");
      if (!integerIn(lines, 2, 4096) || (lines & (lines - 1)) !== 0)
        bad(`urpc lines ${String(lines)} is not a power of two in 2..4096`);
      if (!integerIn(offset, 0, Number.MAX_SAFE_INTEGER) || offset % 64 !== 0)
        bad(`urpc offset ${String(offset)} is not a non-negative multiple of 64`);
      if (memory.byteLength < offset + memoryBytes(lines))
        bad(
          `urpc memory of ${memory.byteLength} bytes is too short for ${lines} lines at offset ${offset} (${memoryBytes(lines)} bytes)`,
        );
      const words = new Uint32Array(memory, offset, 2);
      if (words[W_MAGIC] !== MAGIC || words[W_LINES] !== lines)
        bad("urpc endpoint memory is not a shoal connection of that many lines");
      const budget = (ep as { receiveBudget?: unknown }).receiveBudget;
      if (budget !== undefined && !integerIn(budget, MIN_RECEIVE_BUDGET, MAX_RECEIVE_BUDGET))
        bad(`urpc receiveBudget ${String(budget)} is not ${MIN_RECEIVE_BUDGET}..${MAX_RECEIVE_BUDGET}`);
      if (ep.port !== undefined && !(ep.port instanceof MessagePort))
        bad("urpc endpoint whose port is not a MessagePort");
      return;
    }
    case "port":
      if (!integerIn(ep.credits, 1, 65536)) bad(`port credits ${String(ep.credits)} is not 1..65536`);
      if (!(ep.port instanceof MessagePort)) bad("port endpoint without its MessagePort");
      return;
    case "lrpc":
      if (!Number.isInteger(ep.thread)) bad("lrpc endpoint without its thread");
      return;
  }
}
