/**
 * Board files: the paper's machines as Prolog fact files in `boards/`, selectable by name. Loading a
 * board replaces whatever facts the engine held, then derives the modelled round trips.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { SkbEngine } from "../engine/engine.js";
import { SkbError } from "../errors.js";
import { factFile } from "../facts/render.js";
import { packageRoot } from "../package-root.js";
import { ensureSkbPrograms } from "../programs.js";
import { type BoardSpec, boardFacts } from "./spec.js";

/**
 * Time limit of deriving the modelled round trips and the prepared tables after loading facts: every
 * ordered pair of cores, so a 128-core board takes about a second on an idle machine and several on a
 * loaded one; far above a query's default limit.
 */
export const DERIVE_LIMIT_MS = 120_000;

/** The names of the board files shipped in the package (`intel-2x4`, `amd-2x2`, ...). */
export function boardNames(): string[] {
  const dir = join(packageRoot(), "boards");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".pl"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** The path of a board file; NO_SUCH_BOARD (listing the boards there are) if there is none. */
export function boardPath(name: string): string {
  const path = join(packageRoot(), "boards", `${name}.pl`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !existsSync(path)) {
    throw new SkbError("NO_SUCH_BOARD", `no board named '${name}'; boards: ${boardNames().join(", ")}`);
  }
  return path;
}

/** The text of a board file generated from a spec (how `boards/*.pl` were made). */
export function boardFileText(spec: BoardSpec): string {
  const header = [
    `Board ${spec.name}: ${spec.description}.`,
    "Generated from its spec in packages/skb/src/boards/ by `pnpm --filter @shoal/skb make-boards`;",
    "edit the spec, not this file. Vocabulary: prolog/vocabulary.pl and docs/skb.md.",
    ...spec.notes,
  ];
  return factFile(header, boardFacts(spec));
}

/** Clears the engine's facts and loads the named board file, then its modelled round trips. */
export function loadBoard(engine: SkbEngine, name: string): void {
  const path = boardPath(name);
  ensureSkbPrograms(engine);
  engine.query("skb_clear_facts");
  engine.consultFile(path);
  engine.query("skb_assert_modelled_rtts, skb_prepare", { timeLimitMs: DERIVE_LIMIT_MS });
}

/** Clears the engine's facts and asserts a board generated from a spec (synthetic boards). */
export function loadBoardSpec(engine: SkbEngine, spec: BoardSpec): void {
  ensureSkbPrograms(engine);
  engine.query("skb_clear_facts");
  engine.assertFacts(boardFacts(spec));
  engine.query("skb_assert_modelled_rtts, skb_prepare", { timeLimitMs: DERIVE_LIMIT_MS });
}
