import { describe, expect, it } from "vitest";
import type { Dcb } from "../dispatchers/dcb.js";
import { DispatcherTable } from "../dispatchers/table.js";
import { Upcalls } from "./upcalls.js";

function setup(sliceMs = 5) {
  const overruns: [Dcb, number][] = [];
  const faults: [Dcb, unknown][] = [];
  const up = new Upcalls(
    { overrun: (d, ms) => overruns.push([d, ms]), fault: (d, e) => faults.push([d, e]) },
    sliceMs,
  );
  return { up, overruns, faults, table: new DispatcherTable(3) };
}

describe("upcalls", () => {
  it("account every turn to its dispatcher and count message upcalls", () => {
    const { up, table } = setup();
    const d = table.create("a", 0);
    expect(up.run(d, "run", () => 7)).toBe(7);
    up.run(d, "message", () => undefined);
    expect(d.turns).toBe(2);
    expect(d.messages).toBe(1);
    expect(d.state).toBe("runnable");
    expect(d.id >>> 20).toBe(3);
  });

  it("report a turn past the slice as an overrun", () => {
    const { up, overruns, table } = setup(1);
    const d = table.create("slow", 0);
    up.run(d, "run", () => {
      const t = performance.now();
      while (performance.now() - t < 3);
    });
    expect(d.overruns).toBe(1);
    expect(overruns).toHaveLength(1);
    expect(overruns[0]?.[1]).toBeGreaterThan(1);
  });

  it("charge a nested upcall to its own dispatcher only, not also to the turn it ran in", () => {
    const { up, overruns, table } = setup(20);
    const caller = table.create("caller", 0);
    const callee = table.create("callee", 0);
    up.run(caller, "run", () => {
      up.run(callee, "message", () => {
        const t = performance.now();
        while (performance.now() - t < 30);
      });
    });
    expect(callee.cpuMs).toBeGreaterThanOrEqual(30);
    expect(callee.overruns).toBe(1);
    // The caller's own share is the few instructions around the nested call.
    expect(caller.cpuMs).toBeLessThan(callee.cpuMs / 2);
    expect(caller.overruns).toBe(0);
    expect(overruns.map(([d]) => d.name)).toEqual(["callee"]);
  });

  it("fault a dispatcher whose upcall throws, refuse its later upcalls, and keep the others running", () => {
    const { up, faults, table } = setup();
    const bad = table.create("bad", 0);
    const good = table.create("good", 0);
    expect(
      up.run(bad, "run", () => {
        throw new Error("boom");
      }),
    ).toBeUndefined();
    expect(bad.state).toBe("faulted");
    expect(bad.exitCode).toBe(1);
    expect(bad.reason).toBe("Error: boom");
    expect(faults).toHaveLength(1);
    expect(up.run(bad, "message", () => 1)).toBeUndefined();
    expect(up.run(good, "message", () => 2)).toBe(2);
  });

  it("pass a handler's throw to its caller with rethrow, without faulting the dispatcher", () => {
    const { up, table } = setup();
    const d = table.create("h", 0);
    expect(() =>
      up.run(
        d,
        "message",
        () => {
          throw new Error("to the caller");
        },
        true,
      ),
    ).toThrow("to the caller");
    expect(d.state).toBe("runnable");
  });
});
