/**
 * The end-to-end unmap/protect benchmark's domain (run on booted cores by `runUnmapBench`). Its home
 * dispatcher (core 0) spans one sitter on every other core (each reads the mapped page once, so its
 * TLB holds the translation, then idles yielding until told to stop), then times, from libshoal,
 * `vspace.unmap` of a fresh mapping and `vspace.protect` (alternately read-only and writable) of
 * one mapping: each returns only when every core of the domain acknowledged its TLB invalidation
 * (the monitors' shootdown). Built to dist/src/vspace/unmap-domain.js: cores load built JavaScript.
 *
 * args: [ops, warmup]. Writes one `UNMAP {json}` console line.
 */
import type { Domain, MappedFrame } from "@shoal/libshoal";

/** The console line this domain ends with: the prefix, then the JSON of {@link UnmapReport}. */
export const UNMAP_PREFIX = "UNMAP ";

/** What the domain reports. */
export interface UnmapReport {
  readonly unmapNs: readonly number[];
  readonly protectNs: readonly number[];
  readonly error?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function main(self: Domain, args: string[]): Promise<number> {
  const ops = Number(args[0] ?? 50);
  const warmup = Number(args[1] ?? 5);
  const ctl = await self.vspace.map(await self.frames.alloc(4096));
  const page = await self.vspace.map(await self.frames.alloc(4096));
  page.setUint32(0, 1);
  const sitters = [];
  for (let c = 1; c < self.cores; c++)
    sitters.push(
      await self.span(c, new URL(import.meta.url), {
        entry: "sitter",
        args: [String(ctl.vaddr), String(page.vaddr)],
      }),
    );
  for (let i = 0; i < 10_000 && sitters.some((s) => ctl.getUint32(4 * s.core) !== 1); i++) await sleep(1);
  const unmapNs: number[] = [];
  const protectNs: number[] = [];
  let error: string | undefined;
  try {
    const frames: MappedFrame[] = [];
    for (let i = 0; i < ops + warmup; i++) frames.push(await self.vspace.map(await self.frames.alloc(4096)));
    // Interleaved, so that neither kind runs while the cores' adaptive spin budgets are still low
    // (the runtime's dispatchers spin longer after sleeps cut short: the first rounds pay wake-ups).
    for (const [i, f] of frames.entries()) {
      const t0 = performance.now();
      await self.vspace.unmap(f);
      const t1 = performance.now();
      await self.vspace.protect(page, { write: i % 2 === 1 });
      const t2 = performance.now();
      if (i < warmup) continue;
      unmapNs.push((t1 - t0) * 1e6);
      protectNs.push((t2 - t1) * 1e6);
    }
  } catch (e) {
    error = e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e);
  }
  ctl.setUint32(0, 2);
  await Promise.all(sitters.map((s) => s.exited));
  self.log(
    `${UNMAP_PREFIX}${JSON.stringify({ unmapNs, protectNs, ...(error === undefined ? {} : { error }) })}`,
  );
  return error === undefined ? 0 : 1;
}

/** A spanned dispatcher that holds a translation of the page and idles (yielding) until told. */
export async function sitter(self: Domain, args: string[]): Promise<number> {
  const ctl = self.vspace.view(Number(args[0]), 4096);
  const page = self.vspace.view(Number(args[1]), 4096);
  page.getUint32(0);
  ctl.setUint32(4 * self.core, 1);
  for (let i = 0; i < 120_000 && ctl.getUint32(0) !== 2; i++) await sleep(2);
  return 0;
}
