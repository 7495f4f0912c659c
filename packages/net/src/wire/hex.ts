/**
 * Hex helpers for byte fixtures and diagnostics: `hex("45 00 00 73")` reads whitespace-separated (or
 * run-together) hex digits, so fixtures stay one readable line per header row.
 */

/** Bytes from hex text; whitespace and `|` separators are ignored. Throws on odd length or bad digits. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/[\s|]/g, "");
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw new RangeError(`hex(): expected an even number of hex digits, got ${JSON.stringify(text)}`);
  }
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes as lowercase hex, space-separated. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}
