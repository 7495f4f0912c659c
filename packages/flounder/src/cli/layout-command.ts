/**
 * `flounder layout FILE... [--json]`: what each message costs on the URPC wire.
 *
 * @packageDocumentation
 */
import type { CliIO, InterfaceModel } from "@shoal/idl";
import { runLines } from "@shoal/runtime";
import { isGenerateError } from "../errors.js";
import { layoutInterface, type MessageLayout } from "../layout.js";
import { INPUT_OPTIONS_USAGE, parseInputArgs, UsageError } from "./args.js";
import { loadModels } from "./load.js";

/** Usage of `flounder layout`. */
export const LAYOUT_USAGE = `usage: flounder layout [-i FILE]... [--no-default-includes] [--json] FILE...
  prints, for every message, its URPC line layout: fixed lines, where each piece lies, the strings and
  arrays that follow as overflow runs, and the capabilities sent out of band
  --json                   one JSON document: { iface: { message: { msgnum, fixed_fragments, fields,
                           overflow, caps } } }
${INPUT_OPTIONS_USAGE}exit status: 0 printed, 1 errors in the input, 2 usage or I/O error
`;

/** One message's layout as `--json` prints it. */
export interface LayoutJson {
  readonly msgnum: number;
  readonly fixed_fragments: number;
  /** Lines the whole message takes on the wire: fixed lines plus each run, shortest and longest. */
  readonly lines: { readonly min: number; readonly max: number };
  readonly fields: readonly {
    readonly arg: string;
    readonly frag: number;
    readonly word: number;
    readonly bit: number;
    readonly width: number;
  }[];
  readonly overflow: readonly string[];
  readonly caps: readonly string[];
}

/** The `--json` form of one message's layout. */
export function layoutJson(l: MessageLayout): LayoutJson {
  return {
    msgnum: l.message.number,
    fixed_fragments: l.fixedFragments,
    lines: wireLines(l),
    fields: l.fields.map((p) => ({ arg: p.arg, frag: p.frag, word: p.word, bit: p.bit, width: p.width })),
    overflow: l.overflow.map((o) => o.arg),
    caps: l.caps.map((c) => c.arg),
  };
}

/** The `--json` form of an interface: message name → layout, in message-number order. */
export function interfaceLayoutJson(model: InterfaceModel): Record<string, LayoutJson> {
  const out: Record<string, LayoutJson> = {};
  for (const l of layoutInterface(model)) out[l.message.name] = layoutJson(l);
  return out;
}

/**
 * Lines a message puts in the ring: its fixed lines, then each string or array run (a run takes at
 * least one line, for its length word, even when empty). An empty message still sends its one line;
 * one of only strings/arrays sends no fixed line but at least a line per run.
 */
export function wireLines(l: MessageLayout): { min: number; max: number } {
  let min = l.fixedFragments;
  let max = l.fixedFragments;
  for (const o of l.overflow) {
    min += runLines(0);
    max += runLines(o.maxBytes);
  }
  return { min, max };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The readable table of an interface's layout. */
export function layoutTable(model: InterfaceModel): string {
  const lines: string[] = [`interface ${model.name}`];
  for (const l of layoutInterface(model)) {
    const extra = [
      l.overflow.length > 0
        ? `then ${l.overflow.map((o) => `${o.arg} (${o.kind === "string" ? "string" : "bytes"}, <= ${o.maxBytes} bytes)`).join(", ")}`
        : "",
      l.caps.length > 0 ? `caps out of band: ${l.caps.map((c) => c.arg).join(", ")}` : "",
    ].filter((s) => s !== "");
    const wire = wireLines(l);
    // Counted as the ring sees them, so an empty message (one line) and a string-only one (no fixed
    // line, a line or more per run) read alike.
    const count =
      l.overflow.length === 0
        ? plural(wire.min, "line")
        : `${wire.min === wire.max ? plural(wire.min, "line") : `${wire.min}-${wire.max} lines`} (${l.fixedFragments === 0 ? "no fixed line" : plural(l.fixedFragments, "fixed line")}, then runs)`;
    lines.push("");
    lines.push(
      `  #${l.message.number} ${l.message.name}: ${count}, ${plural(l.words, "word")}${extra.length > 0 ? `; ${extra.join("; ")}` : ""}`,
    );
    if (l.fields.length > 0) {
      lines.push("    frag  word  bit  width  piece");
      for (const p of l.fields)
        lines.push(
          `    ${String(p.frag).padStart(4)}  ${String(p.word).padStart(4)}  ${String(p.bit).padStart(3)}  ${String(p.width).padStart(5)}  ${p.arg}${p.half === 1 ? " (high half)" : p.half === 0 ? " (low half)" : ""}`,
        );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `flounder layout`: returns the exit status. */
export async function layoutCommand(args: readonly string[], io: CliIO): Promise<number> {
  let json = false;
  let p: ReturnType<typeof parseInputArgs>;
  try {
    p = parseInputArgs(args, (flag) => {
      if (flag !== "--json") return false;
      json = true;
      return true;
    });
    if (!p.help && p.files.length === 0) throw new UsageError("no input file");
  } catch (e) {
    io.err(`flounder: ${e instanceof Error ? e.message : String(e)}\n${LAYOUT_USAGE}`);
    return 2;
  }
  if (p.help) {
    io.out(LAYOUT_USAGE);
    return 0;
  }
  const loaded = await loadModels(p.files, p.includes, p.defaultIncludes, io);
  if (!loaded.ok) return loaded.status;
  try {
    if (json) {
      const doc: Record<string, Record<string, LayoutJson>> = {};
      for (const { model } of loaded.models) doc[model.name] = interfaceLayoutJson(model);
      io.out(`${JSON.stringify(doc, null, 2)}\n`);
    } else io.out(loaded.models.map(({ model }) => layoutTable(model)).join("\n"));
  } catch (e) {
    if (!isGenerateError(e)) throw e;
    io.err(`flounder: ${e.message}\n`);
    return 1;
  }
  return 0;
}
