// The saved state: made from the sources, restored with the same behaviour as a plain start, and not
// used when it does not match the sources.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadBoard } from "../boards/boards.js";
import { ensureSkbPrograms } from "../programs.js";
import { multicastAllRoots } from "../queries/multicast.js";
import { SkbEngine } from "./engine.js";
import { makeSavedState } from "./make-state.js";
import { programSources, readState, swiplWasmPath } from "./state.js";

let made: { image: Uint8Array; hash: string };
beforeAll(async () => {
  made = await makeSavedState();
}, 120_000);

describe("the saved state", () => {
  it("restores an engine that answers as a plain one does, libraries included", async () => {
    const wasm = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<object> } })
      .WebAssembly;
    const module = await wasm.compile(readFileSync(swiplWasmPath()));
    const saved = await SkbEngine.start({ savedState: made.image, wasmModule: module });
    const plain = await SkbEngine.start({ savedState: false });
    expect(saved.programsPreloaded).toBe(true);
    expect(saved.startProfile).toMatchObject({ mode: "saved-state", preloadedModule: true, compileMs: 0 });
    expect(plain.programsPreloaded).toBe(false);
    expect(plain.startProfile.mode).toBe("plain");
    ensureSkbPrograms(plain);
    ensureSkbPrograms(saved);
    for (const e of [saved, plain]) loadBoard(e, "amd-4x4");
    expect(multicastAllRoots(saved)).toEqual(multicastAllRoots(plain));
    // Library predicates the programs never call come from the modules loaded into the state.
    const q = "numlist(1, 4, L), sum_list(L, S), last(L, X), list_to_assoc([a-1], A), get_assoc(a, A, V)";
    expect(saved.once(q)).toEqual(plain.once(q));
    expect(saved.once(q)).toMatchObject({ S: 10, X: 4, V: 1 });
    // The time limit and the refusal of halt/0 survive the restore.
    expect(() => saved.query("repeat, fail", { timeLimitMs: 200 })).toThrow(/time limit/i);
    expect(() => saved.query("halt")).toThrow(/halt/);
    expect(() => saved.query("no_such_predicate(1)")).toThrow(/no_such_predicate\/1/);
  }, 120_000);

  it("is read only when its recorded hash matches the sources", () => {
    const dir = mkdtempSync(join(tmpdir(), "skb-state-"));
    const image = join(dir, "skb.pvm");
    writeFileSync(image, made.image);
    writeFileSync(join(dir, "skb.json"), JSON.stringify({ hash: made.hash }));
    expect(made.hash).toBe(programSources().hash);
    expect(readState(image)?.length).toBe(made.image.length);
    writeFileSync(join(dir, "skb.json"), JSON.stringify({ hash: "0".repeat(64) }));
    expect(readState(image)).toBeUndefined();
    writeFileSync(join(dir, "skb.json"), "not json");
    expect(readState(image)).toBeUndefined();
    expect(readState(join(dir, "missing.pvm"))).toBeUndefined();
  });
});
