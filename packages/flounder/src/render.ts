/**
 * Renders the precompiled templates with an isolated Handlebars environment (nothing registered on the
 * global instance, so two generators in one process cannot disturb each other).
 *
 * @packageDocumentation
 */
import { createRequire } from "node:module";
import { GenerateError } from "./errors.js";
import { templateSpecs } from "./templates.generated.js";
import type { FileView } from "./view/interface-view.js";

// handlebars is CommonJS with `export =` typings: load it through require so its exports are all there.
const Handlebars = createRequire(import.meta.url)("handlebars") as typeof import("handlebars");

type Render = (view: FileView) => string;

let cached: Render | undefined;

/** Builds the environment once: every template registered as a partial under its path, `file` as entry. */
function environment(): Render {
  if (cached !== undefined) return cached;
  const hb = Handlebars.create();
  for (const [name, spec] of Object.entries(templateSpecs)) hb.registerPartial(name, hb.template(spec));
  const spec = templateSpecs.file;
  if (spec === undefined) throw new GenerateError("template", "the precompiled templates lack 'file'");
  const file = hb.template<FileView>(spec);
  cached = (view) => file(view);
  return cached;
}

/** The text of one generated file. */
export function renderFile(view: FileView): string {
  try {
    return environment()(view);
  } catch (e) {
    throw new GenerateError("template", `rendering failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
