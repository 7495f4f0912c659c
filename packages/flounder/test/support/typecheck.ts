/**
 * Type-checks files with the TypeScript compiler API under the repository's strict settings (one
 * program over all of them), returning the diagnostics as text. The files must sit inside this package
 * so that `@shoal/runtime` resolves as it does for users.
 */
import ts from "typescript";

/** The options of tsconfig.base.json that matter for generated code, plus noEmit. */
export const STRICT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
};

/** Diagnostics of one program over `files`, formatted `file(line,col): message`. */
export function typecheck(files: readonly string[]): string[] {
  const program = ts.createProgram(files, STRICT_OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (d.file === undefined || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}(${line + 1},${character + 1}): ${text}`;
  });
}
