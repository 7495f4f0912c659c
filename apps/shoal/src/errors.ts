/** The errors of the shoal command line: one clear line each, with an exit code. */

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses a size such as `256M`, `1G`, `65536` into bytes. */
export function parseSize(text: string, what: string): number {
  const m = /^(\d+)\s*([KMG]i?B?)?$/i.exec(text.trim());
  if (m === null) throw new UsageError(`${what}: expected a size like 256M or 1G, got '${text}'`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "").toUpperCase()[0];
  const mult = unit === "K" ? 2 ** 10 : unit === "M" ? 2 ** 20 : unit === "G" ? 2 ** 30 : 1;
  return n * mult;
}

/** Parses a non-negative integer argument. */
export function parseCount(text: string | undefined, what: string, min = 0): number {
  const n = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(
      `${what}: expected an integer${min > 0 ? ` of at least ${min}` : ""}, got '${text ?? ""}'`,
    );
  return n;
}
