/**
 * Command-line parsing shared by `flounder gen` and `flounder layout` (the same include options as
 * `flounder check`, so one set of flags works for every subcommand).
 *
 * @packageDocumentation
 */

/** A command line that cannot be understood: exit status 2 with the usage text. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The usage lines of the options {@link parseInputArgs} reads (the same as `flounder check --help`). */
export const INPUT_OPTIONS_USAGE = `  -i, --include FILE       read type declarations from FILE first (repeatable, in order)
  --no-default-includes    do not predeclare coreid, domainid, cycles, genpaddr, genvaddr, rsrcid
`;

/** Options common to the commands that read interfaces. */
export interface InputArgs {
  files: string[];
  includes: string[];
  defaultIncludes: boolean;
  help: boolean;
}

/**
 * Parses `args`; `extra(flag, next)` handles command-specific options and returns true when it consumed
 * `flag` (calling `next()` for its value).
 */
export function parseInputArgs(
  args: readonly string[],
  extra: (flag: string, next: () => string) => boolean,
): InputArgs {
  const p: InputArgs = { files: [], includes: [], defaultIncludes: true, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    const next = (): string => {
      const v = args[++i];
      if (v === undefined || v === "") throw new UsageError(`option ${a} needs a value`);
      return v;
    };
    if (a === "--") {
      p.files.push(...args.slice(i + 1));
      break;
    }
    if (a === "-h" || a === "--help") p.help = true;
    else if (a === "-i" || a === "--include") p.includes.push(next());
    else if (a.startsWith("--include=")) p.includes.push(a.slice("--include=".length));
    else if (a.startsWith("-i") && a.length > 2 && !a.startsWith("--")) p.includes.push(a.slice(2));
    else if (a === "--no-default-includes") p.defaultIncludes = false;
    else if (extra(a, next)) continue;
    else if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option '${a}'`);
    else p.files.push(a);
  }
  return p;
}
