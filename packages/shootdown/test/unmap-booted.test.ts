// End-to-end unmap/protect through the monitors, as the bench runs it: a domain spanning every
// booted core times vspace.unmap and vspace.protect from libshoal; every operation returns (each
// after every core acknowledged), none fails.
import { describe, expect, it } from "vitest";
import { routesFromSkb } from "../src/routes/skb-routes.js";
import { runUnmapBench } from "../src/vspace/run-unmap.js";
import { amd8x4 } from "./skb-fixture.js";

describe("end-to-end unmap and protect on booted cores", () => {
  for (const protocol of ["unicast", "numa_multicast"] as const) {
    it(`times ${protocol} unmaps and protects of a domain on 4 cores`, async () => {
      const engine = await amd8x4();
      const r = await runUnmapBench(routesFromSkb(engine, protocol, [0, 1, 2, 3]), { ops: 6, warmup: 2 });
      expect(r.error).toBeUndefined();
      expect(r.unmapNs).toHaveLength(6);
      expect(r.protectNs).toHaveLength(6);
      for (const t of [...r.unmapNs, ...r.protectNs]) expect(t).toBeGreaterThan(0);
    });
  }
});
