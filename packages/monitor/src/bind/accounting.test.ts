import type { CpuDriver, Dcb } from "@shoal/cpu-driver";
import { TestCapStruct } from "@shoal/libshoal/interfaces/test_cap_struct";
import { CapRef, connectPair, openChannel } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import { bindAccounted, capFreeNames } from "./accounting.js";

/** A CPU driver that runs upcalls at once and counts the caps it is asked to move. */
function fakeCpu() {
  const moved: CapRef[] = [];
  const cpu = {
    upcalls: { run: (_d: unknown, _k: unknown, fn: () => unknown) => fn() },
    receiveCap: (ref: CapRef) => {
      moved.push(ref);
      return new CapRef(`moved ${ref.description}`);
    },
  } as unknown as CpuDriver;
  return { cpu, moved };
}

const dcb = { id: 1, finished: false } as unknown as Dcb;

describe("bindAccounted", () => {
  it("an open channel tells its interface: which messages carry caps", () => {
    const [a, b] = connectPair("lrpc");
    const ch = openChannel(b);
    TestCapStruct.bindChannel(ch, {});
    TestCapStruct.bind(a);
    const caps = Object.fromEntries((ch.interfaceInfo?.messages ?? []).map((m) => [m.name, m.caps]));
    expect(caps).toEqual({
      give_pool_call: 1,
      give_pool_response: 0,
      take_frame_call: 0,
      take_frame_response: 2,
      pool_msg: 1,
    });
  });

  it("moves caps in structs and results, and leaves cap-free messages alone", async () => {
    const [a, b] = connectPair("lrpc");
    const { cpu, moved } = fakeCpu();
    const seen: unknown[] = [];
    bindAccounted(cpu, dcb, TestCapStruct, b, {
      rpc: {
        give_pool: (p: { id: number; frame: CapRef }) => {
          seen.push(p.frame.description);
          return { word: p.id };
        },
        take_frame: (word: number) => ({ frame: new CapRef("f"), p: { id: word, frame: new CapRef("g") } }),
      },
    });
    const client = bindAccounted(cpu, dcb, TestCapStruct, a, {});
    expect((await client.rpc.give_pool({ id: 5, frame: new CapRef("x") })).word).toBe(5);
    expect(seen).toEqual(["moved x"]);
    expect(moved.map((r) => r.description)).toEqual(["x"]);
    const out = await client.rpc.take_frame(7);
    expect(out.frame.description).toBe("moved f");
    expect(out.p.frame.description).toBe("moved g");
    expect(moved).toHaveLength(3);
  });
});

describe("capFreeNames", () => {
  it("names the handlers of messages with caps: 0", () => {
    const info = {
      name: "t",
      fingerprint: "0".repeat(32),
      messages: [
        { name: "a_call", lines: 1, words: 1, overflow: [], caps: 0 },
        { name: "b_call", lines: 1, words: 0, overflow: [], caps: 1 },
        { name: "m", lines: 1, words: 1, overflow: [], caps: 0 },
      ],
    };
    expect(capFreeNames(info, ["a", "b", "z"], "_call")).toEqual(["a"]);
    expect(capFreeNames(info, ["m"], "")).toEqual(["m"]);
  });
});
