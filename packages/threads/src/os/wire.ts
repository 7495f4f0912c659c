/** Small helpers of the OS executor's messages (shared by the master and the members). */
import type { DoneValue } from "./config.js";

/** The longest `done` value bomp.if carries. */
const DONE_MAX = 8192;

/** An error as one line (code first when it has one). */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return (
      typeof code === "string" && !e.message.startsWith(code) ? `${code}: ${e.message}` : e.message
    ).slice(0, 1000);
  }
  return String(e).slice(0, 1000);
}

/** `done`'s ok flag and JSON value; a value too long for the message becomes an error saying so. */
export function doneJson(out: DoneValue): [number, string] {
  const json = JSON.stringify(out) ?? JSON.stringify({ value: null });
  if (json.length <= DONE_MAX / 3) return ["error" in out ? 0 : 1, json];
  // Strings are UTF-8 on the wire: a third of the byte bound is safe for any text.
  if ("error" in out) {
    const { stack: _stack, ...short } = out.error;
    return [0, JSON.stringify({ error: { ...short, message: short.message.slice(0, 1000) } })];
  }
  return [
    0,
    JSON.stringify({
      error: {
        name: "ThreadsError",
        message: `BAD_ARGUMENT: the region's value is ${json.length} characters of JSON (at most ${Math.floor(DONE_MAX / 3)} fit in done)`,
      },
    }),
  ];
}
