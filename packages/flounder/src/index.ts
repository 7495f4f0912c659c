/**
 * @shoal/flounder: the stub compiler. Turns checked Flounder interface models into typed TypeScript stubs
 * for shoal's three transports (urpc, lrpc, port), and computes the URPC wire layout.
 *
 * @packageDocumentation
 */

export { interfaceLayoutJson, type LayoutJson, layoutJson, layoutTable } from "./cli/layout-command.js";
export {
  GenerateError,
  type GenerateErrorCode,
  isGenerateError,
  isOutputError,
  OutputError,
  type OutputErrorCode,
} from "./errors.js";
export { canonicalModel, fingerprint } from "./fingerprint.js";
export { type GenerateOptions, generate, outputFileName } from "./generate.js";
export {
  type CapArg,
  layoutInterface,
  layoutMessage,
  type MessageLayout,
  type OverflowRun,
  type PathStep,
  type Piece,
  type Scalar,
} from "./layout.js";
export { pascalCase, safeIdentifier } from "./names.js";
export { VERSION } from "./version.js";
