/** One SKB engine with the paper's 8x4 AMD board, shared by a test file. */
import { loadBoard, SkbEngine } from "@shoal/skb";

let engine: Promise<SkbEngine> | undefined;

/** The engine, started once per test file. */
export function amd8x4(): Promise<SkbEngine> {
  engine ??= SkbEngine.start().then((e) => {
    loadBoard(e, "amd-8x4");
    return e;
  });
  return engine;
}

/** Cores 0..n-1. */
export function firstCores(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
