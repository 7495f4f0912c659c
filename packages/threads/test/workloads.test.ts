import { describe, expect, it } from "vitest";
import { type BarnesResult, barnesLayout } from "../src/barnes/barnes.js";
import { runWorkload } from "../src/index.js";
import { type CgResult, cgLayout } from "../src/nas/cg.js";
import { CG_CLASSES } from "../src/nas/classes.js";
import { type FtResult, ftLayout } from "../src/nas/ft.js";
import { type IsResult, isLayout } from "../src/nas/is.js";

// Class S of each NAS kernel, verified against NPB's published values, on shoal's runtime (2 members)
// and on the plain worker_threads baseline (1 member, then 2 for CG).
describe("NAS class S", () => {
  it("CG verifies zeta on the runtime and the baseline", async () => {
    const bytes = cgLayout("S").bytes;
    const a = await runWorkload<CgResult>("shoal", 2, "nas/cg.js", "cgRegion", bytes, { cls: "S" });
    const b = await runWorkload<CgResult>("baseline", 1, "nas/cg.js", "cgRegion", bytes, { cls: "S" });
    for (const r of [a, b]) {
      expect(r.verified).toBe(true);
      expect(Math.abs(r.zeta - CG_CLASSES.S.zeta)).toBeLessThan(1e-9);
    }
  });

  it("FT verifies all six checksums", async () => {
    const r = await runWorkload<FtResult>("shoal", 2, "nas/ft.js", "ftRegion", ftLayout("S").bytes, {
      cls: "S",
    });
    expect(r.checksums).toHaveLength(6);
    expect(r.verified).toBe(true);
    const b = await runWorkload<FtResult>("baseline", 1, "nas/ft.js", "ftRegion", ftLayout("S").bytes, {
      cls: "S",
    });
    expect(b.verified).toBe(true);
  });

  it("IS passes partial and full verification", async () => {
    const r = await runWorkload<IsResult>("shoal", 3, "nas/is.js", "isRegion", isLayout("S", 3).bytes, {
      cls: "S",
    });
    expect(r.passed).toBe(51);
    expect(r.verified).toBe(true);
    const b = await runWorkload<IsResult>("baseline", 2, "nas/is.js", "isRegion", isLayout("S", 2).bytes, {
      cls: "S",
    });
    expect(b.verified).toBe(true);
  });
});

describe("Barnes-Hut", () => {
  it("matches direct O(n²) forces within 1% (theta 0.5) and agrees across runtimes", async () => {
    const bodies = 4096;
    const arg = { bodies, theta: 0.5, check: 256 };
    const a = await runWorkload<BarnesResult>(
      "shoal",
      2,
      "barnes/barnes.js",
      "barnesRegion",
      barnesLayout(bodies).bytes,
      arg,
    );
    const b = await runWorkload<BarnesResult>(
      "baseline",
      1,
      "barnes/barnes.js",
      "barnesRegion",
      barnesLayout(bodies).bytes,
      arg,
    );
    expect(a.relError).toBeGreaterThan(0);
    expect(a.relError).toBeLessThan(0.01);
    expect(b.relError).toBeCloseTo(a.relError, 12);
    expect(a.checksum).toBeCloseTo(b.checksum, 9);
  });

  it("is exact when no cell is ever taken whole (theta 0)", async () => {
    const bodies = 512;
    const r = await runWorkload<BarnesResult>(
      "shoal",
      2,
      "barnes/barnes.js",
      "barnesRegion",
      barnesLayout(bodies).bytes,
      {
        bodies,
        theta: 0,
        check: bodies,
      },
    );
    expect(r.relError).toBeLessThan(1e-12);
  });
});
