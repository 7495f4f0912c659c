#!/usr/bin/env node
// Writes dist/state/skb.pvm (the SKB's saved state: runtime and programs preloaded) and skb.json
// (the hash of the sources it was made from). Part of `build`, after tsc (it imports the built package).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { makeSavedState } from "../dist/src/engine/make-state.js";
import { statePaths } from "../dist/src/engine/state.js";

const t0 = performance.now();
const { image, hash } = await makeSavedState();
const { image: imagePath, meta } = statePaths();
mkdirSync(dirname(imagePath), { recursive: true });
writeFileSync(imagePath, image);
writeFileSync(meta, `${JSON.stringify({ hash, bytes: image.length }, null, 2)}\n`);
console.log(`skb: wrote ${imagePath} (${image.length} bytes) in ${(performance.now() - t0).toFixed(0)} ms`);
