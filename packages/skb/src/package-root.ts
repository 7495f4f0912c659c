import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The directory of this package (the one holding `prolog/` and `boards/`). Found by walking up from
 * this module because the module runs both from `src/` (tests) and from `dist/src/` (built).
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "prolog"))) {
      cached = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("@shoal/skb: cannot find the package directory (prolog/ is missing)");
    dir = up;
  }
}
