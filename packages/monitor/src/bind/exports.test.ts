// The ring size of a cross-core binding (BindChannelOptions.lines): the server's monitor lays the
// channel out with the lines the client asked for, and refuses sizes outside the bounds.
import type { Dcb } from "@shoal/cpu-driver";
import type { BindingClass } from "@shoal/libshoal";
import { type Endpoint, regionBytes } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import type { Monitor } from "../core/monitor.js";
import { BIND_LINES, Exports, fingerprintLow, MAX_BIND_LINES, MIN_BIND_LINES } from "./exports.js";

/** Word 1 of a channel's header is its lines per direction (runtime's urpc layout). */
const W_LINES = 1;

function setup() {
  const memory = new SharedArrayBuffer(4 * 2 ** 20);
  let next = 4096;
  const allocs: number[] = [];
  const monitor = {
    core: 1,
    boot: { memory },
    cpu: {
      ram: {
        alloc(bytes: number) {
          allocs.push(bytes);
          const base = next;
          next += Math.ceil(bytes / 4096) * 4096;
          return { base, bytes, slot: 0 };
        },
        cspace: { resolve: () => 0 },
      },
    },
    // The binding-frames registry (binding-frames.ts) only records the channel here.
    bindings: { add() {}, closed() {} },
  } as unknown as Monitor;
  const bound: Endpoint[] = [];
  const Binding: BindingClass<unknown, object> = {
    interfaceName: "test",
    fingerprint: "00000000deadbeef",
    bind(ep: Endpoint) {
      bound.push(ep);
      return {};
    },
  };
  const exports = new Exports(monitor);
  const iref = exports.add(Binding, {}, { finished: false } as unknown as Dcb);
  return { exports, iref, memory, allocs, bound, fp: fingerprintLow(Binding.fingerprint) };
}

describe("a binding's ring size", () => {
  it("defaults to BIND_LINES", () => {
    const { exports, iref, memory, allocs, fp } = setup();
    const at = exports.serve(iref, 0, fp);
    expect(at.lines).toBe(BIND_LINES);
    expect(new Uint32Array(memory, at.offset, 2)[W_LINES]).toBe(BIND_LINES);
    expect(allocs).toEqual([regionBytes(BIND_LINES)]);
  });

  it.each([MIN_BIND_LINES, 512, MAX_BIND_LINES])("lays out %i lines per direction when asked", (lines) => {
    const { exports, iref, memory, allocs, bound, fp } = setup();
    const at = exports.serve(iref, 0, fp, lines);
    expect(at.lines).toBe(lines);
    expect(new Uint32Array(memory, at.offset, 2)[W_LINES]).toBe(lines);
    expect(allocs).toEqual([regionBytes(lines)]);
    expect(bound[0]).toMatchObject({ transport: "urpc", side: 0, offset: at.offset, lines });
  });

  it.each([0, MIN_BIND_LINES - 1, MAX_BIND_LINES * 2, 48, 1.5, Number.NaN])("refuses %d lines", (lines) => {
    const { exports, iref, allocs, fp } = setup();
    expect(() => exports.serve(iref, 0, fp, lines)).toThrow(/lines/);
    expect(allocs).toEqual([]);
  });
});
