/**
 * @shoal/idl: the Flounder interface language front end. `parse` gives the syntax tree, `check` the
 * checked {@link InterfaceModel} that the stub compiler reads, with positioned diagnostics; neither
 * throws on bad input. `checkFiles` and the CLI commands add the file system.
 * @packageDocumentation
 */

export type * from "./ast.js";
export { type CheckOptions, type CheckResult, check, type IncludeSource } from "./check/index.js";
export { MAX_DYNAMIC_SIZE, MAX_FIXED_ARRAY_LENGTH } from "./check/types.js";
export { AST_USAGE, astCommand, CHECK_USAGE, type CliIO, checkCommand } from "./cli.js";
export { DEFAULT_INCLUDES_FILE, DEFAULT_INCLUDES_TEXT } from "./default-includes.js";
export {
  countDiagnostics,
  type DiagnosticCode,
  DiagnosticCodes,
  formatDiagnostic,
  formatDiagnosticsJson,
  hasErrors,
  type JsonDiagnostic,
  toJsonDiagnostic,
} from "./diagnostics.js";
export {
  IdlIoError,
  type IdlIoErrorCode,
  IdlUsageError,
  isIdlIoError,
  isIdlUsageError,
} from "./errors.js";
export {
  type CheckFilesOptions,
  type CheckFilesResult,
  checkFiles,
  type FileCheckResult,
  readSource,
  whyNotText,
} from "./files.js";
export type * from "./model.js";
export { FIRST_MESSAGE_NUMBER } from "./model.js";
export { MAX_SYNTAX_DIAGNOSTICS, type ParseResult, parse, parseInclude } from "./parse.js";
export { lookupType, type ResolvedType, resolveType } from "./resolve.js";
