/**
 * A reader for the engine's replies: Prolog terms as written by `write_canonical` (`~k`): quoted atoms,
 * functional notation only (no operators), lists, strings, numbers (big integers, `1.0Inf`, `1.5NaN`,
 * rationals `2r3`) and variables. Anything else is a BAD_ANSWER error naming the offset.
 */
import { SkbError } from "../errors.js";
import type { Term } from "./terms.js";

const SYMBOL_CHARS = "+-*/\\^<>=~:.?@#&$";

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}
function isAlnum(c: string | undefined): boolean {
  return c !== undefined && (c === "_" || isDigit(c) || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
}

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SkbError(
      "BAD_ANSWER",
      `cannot read the engine's reply at offset ${this.pos} (${what}): ${this.text.slice(this.pos, this.pos + 40)}`,
    );
  }

  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  term(): Term {
    const c = this.text[this.pos];
    if (c === undefined) this.fail("unexpected end");
    if (c === "[") return this.list();
    if (c === '"') return { kind: "string", text: this.quoted('"') };
    if (isDigit(c) || (c === "-" && isDigit(this.text[this.pos + 1]))) return this.number();
    if (c === "_" || (c >= "A" && c <= "Z")) {
      const start = this.pos;
      while (isAlnum(this.text[this.pos])) this.pos++;
      return { kind: "var", name: this.text.slice(start, this.pos) };
    }
    const name = this.atom();
    if (this.text[this.pos] !== "(") return name;
    this.pos++;
    const args: Term[] = [this.term()];
    while (this.text[this.pos] === ",") {
      this.pos++;
      args.push(this.term());
    }
    this.expect(")");
    return { kind: "compound", functor: name, args };
  }

  atom(): string {
    const t = this.text;
    const c = t[this.pos] as string;
    if (c === "'") return this.quoted("'");
    const start = this.pos;
    if (c >= "a" && c <= "z") {
      while (isAlnum(t[this.pos])) this.pos++;
    } else if (SYMBOL_CHARS.includes(c)) {
      while (t[this.pos] !== undefined && SYMBOL_CHARS.includes(t[this.pos] as string)) this.pos++;
    } else if (c === "!" || c === ";" || c === ",") {
      this.pos++;
    } else if (c === "{" && t[this.pos + 1] === "}") {
      this.pos += 2;
    } else {
      this.fail("expected a term");
    }
    return t.slice(start, this.pos);
  }

  list(): Term {
    this.expect("[");
    if (this.text[this.pos] === "]") {
      this.pos++;
      // `[]` followed by `(` would be a compound named '[]'; canonical output never writes one.
      return [];
    }
    const items: Term[] = [this.term()];
    while (this.text[this.pos] === ",") {
      this.pos++;
      items.push(this.term());
    }
    if (this.text[this.pos] === "|") {
      this.pos++;
      const tail = this.term();
      this.expect("]");
      return { kind: "partial_list", items, tail };
    }
    this.expect("]");
    return items;
  }

  number(): Term {
    const t = this.text;
    const start = this.pos;
    if (t[this.pos] === "-") this.pos++;
    while (isDigit(t[this.pos]) || t[this.pos] === "_") this.pos++;
    let float = false;
    if (t[this.pos] === "." && isDigit(t[this.pos + 1])) {
      float = true;
      this.pos++;
      while (isDigit(t[this.pos])) this.pos++;
    }
    if ((t[this.pos] === "e" || t[this.pos] === "E") && /[-+0-9]/.test(t[this.pos + 1] ?? "")) {
      float = true;
      this.pos += 2;
      while (isDigit(t[this.pos])) this.pos++;
    }
    if (t.startsWith("Inf", this.pos)) {
      this.pos += 3;
      return t[start] === "-" ? -Infinity : Infinity;
    }
    if (t.startsWith("NaN", this.pos)) {
      this.pos += 3;
      return Number.NaN;
    }
    const digits = t.slice(start, this.pos).replaceAll("_", "");
    if (!float && t[this.pos] === "r" && isDigit(t[this.pos + 1])) {
      this.pos++;
      const dStart = this.pos;
      while (isDigit(t[this.pos])) this.pos++;
      return { kind: "rational", numerator: BigInt(digits), denominator: BigInt(t.slice(dStart, this.pos)) };
    }
    if (float) return Number(digits);
    const n = Number(digits);
    return Number.isSafeInteger(n) ? n : BigInt(digits);
  }

  quoted(q: string): string {
    const t = this.text;
    this.pos++;
    let out = "";
    for (;;) {
      const c = t[this.pos];
      if (c === undefined) this.fail("unterminated quoted text");
      this.pos++;
      if (c === q) {
        if (t[this.pos] === q) {
          out += q;
          this.pos++;
          continue;
        }
        return out;
      }
      if (c !== "\\") {
        out += c;
        continue;
      }
      out += this.escape();
    }
  }

  escape(): string {
    const t = this.text;
    const e = t[this.pos++];
    switch (e) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "r":
        return "\r";
      case "a":
        return "\x07";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "v":
        return "\v";
      case "e":
        return "\x1b";
      case "s":
        return " ";
      case "0":
      case "1":
      case "2":
      case "3":
      case "4":
      case "5":
      case "6":
      case "7": {
        const start = this.pos - 1;
        while (isDigit(t[this.pos])) this.pos++;
        const code = Number.parseInt(t.slice(start, this.pos), 8);
        if (t[this.pos] === "\\") this.pos++;
        return String.fromCodePoint(code);
      }
      case "x": {
        const start = this.pos;
        while (/[0-9a-fA-F]/.test(t[this.pos] ?? "")) this.pos++;
        const code = Number.parseInt(t.slice(start, this.pos), 16);
        if (t[this.pos] === "\\") this.pos++;
        return String.fromCodePoint(code);
      }
      case "\n":
        return "";
      case undefined:
        return this.fail("unterminated escape");
      default:
        // \\ \' \" \` stand for themselves.
        return e;
    }
  }
}

/** Reads one canonical term; the whole text must be that term. */
export function readCanonical(text: string): Term {
  const r = new Reader(text);
  const t = r.term();
  if (r.pos !== text.length) r.fail("text after the term");
  return t;
}
