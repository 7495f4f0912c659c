/**
 * Loads chevrotain from its single-file ESM bundle when possible.
 *
 * Why: chevrotain's package entry (`lib/src/api.js`) pulls in lodash-es as some 600 separate modules;
 * importing it took ~450 ms on the 2-vCPU CI machine, most of a cold `flounder check`. The package also
 * ships the same code bundled (`lib/chevrotain.mjs`, ~20 ms to import) but does not export that path,
 * so it is located next to the resolved entry. Any failure (another layout, a bundler without
 * `import.meta.resolve`) falls back to the ordinary import: same API, just slower to load.
 *
 * @packageDocumentation
 */
import type * as Chevrotain from "chevrotain";

async function load(): Promise<typeof Chevrotain> {
  try {
    const entry = import.meta.resolve("chevrotain");
    const bundle = new URL("../chevrotain.mjs", entry).href;
    const mod = (await import(bundle)) as typeof Chevrotain;
    if (typeof mod.EmbeddedActionsParser === "function" && typeof mod.createToken === "function") return mod;
  } catch {
    // fall through to the package entry
  }
  return await import("chevrotain");
}

/** The chevrotain API (from the bundle when it could be found). */
export const chevrotain: typeof Chevrotain = await load();
