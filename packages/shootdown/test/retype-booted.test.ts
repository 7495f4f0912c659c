// End-to-end retype with remote relations, as the bench runs it: a Frame with a copy on every booted
// core is retyped page by page from core 0 (each a two-phase commit between the monitors), then
// distinct shared Frames are retyped all at once; every retype succeeds.
import { describe, expect, it } from "vitest";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { runRetypeBench } from "../src/vspace/run-retype.js";
import { amd8x4 } from "./skb-fixture.js";

describe("end-to-end retype by two-phase commit on booted cores", () => {
  it("times retypes of a cap shared with 4 cores, one by one and pipelined", async () => {
    const engine = await amd8x4();
    const r = await runRetypeBench(routesFromSkb(engine, "numa_multicast", [0, 1, 2, 3]), {
      ops: 6,
      warmup: 2,
    });
    expect(r.error).toBeUndefined();
    expect(r.retypeNs).toHaveLength(6);
    for (const t of r.retypeNs) expect(t).toBeGreaterThan(0);
    expect(r.pipelinedNs).toBeGreaterThan(0);
  });
});
