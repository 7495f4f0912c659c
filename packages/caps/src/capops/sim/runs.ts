/**
 * How many schedules the property tests try: `CAPOPS_RUNS_SCALE` multiplies the normal counts
 * (`test:long` sets it), so the normal run stays quick on a loaded machine.
 */
export function runs(normal: number): number {
  const scale = Number(process.env.CAPOPS_RUNS_SCALE ?? "1");
  return Math.max(1, Math.round(normal * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
