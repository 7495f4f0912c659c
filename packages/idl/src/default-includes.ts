/**
 * The standard types that Barrelfish passes to Flounder as include files (`types.if`, `arch/*.if`,
 * `platform/*.if`), predeclared so that `flounder check monitor.if` works without `-i`. The values are
 * those of a 64-bit target. `iref` and `errval`, which Barrelfish also lists there, are builtins of the
 * language here (both 32 bits on the wire), so they need no declaration.
 *
 * @packageDocumentation
 */

/** File name under which the default includes' declarations (and their spans) appear. */
export const DEFAULT_INCLUDES_FILE = "<default-includes>";

/** The text of the default includes, parsed like any `-i` file. */
export const DEFAULT_INCLUDES_TEXT = `/* shoal's default includes: Barrelfish's types.if and the x86_64 arch/platform includes */
alias coreid uint8;
alias domainid uint32;
alias cycles uint64;
alias genpaddr uint64;
alias genvaddr uint64;
alias rsrcid uint32;
`;
