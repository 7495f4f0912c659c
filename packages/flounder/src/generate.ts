/**
 * The stub compiler's entry: a checked interface model in, the text of `<interface>.ts` out.
 *
 * @packageDocumentation
 */
import type { InterfaceModel } from "@shoal/idl";
import { renderFile } from "./render.js";
import { buildFileView } from "./view/interface-view.js";

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** The source file name printed in the `@generated` header (default: the model's file). */
  readonly source?: string;
}

/**
 * Generates the TypeScript stubs of one interface. Deterministic: the same model gives the same bytes.
 * Throws a GenerateError (code `unsupported-type`) for a construct the stubs cannot carry.
 */
export function generate(model: InterfaceModel, options: GenerateOptions = {}): string {
  const source = options.source ?? model.file.replaceAll("\\", "/").split("/").pop() ?? model.file;
  return renderFile(buildFileView(model, source));
}

/** The file name a generated interface is written to: `<interface>.ts`. */
export function outputFileName(model: InterfaceModel): string {
  return `${model.name}.ts`;
}
