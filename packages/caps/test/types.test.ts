import { describe, expect, test } from "vitest";
import {
  CAP_TYPES,
  canRetype,
  checkObjectSize,
  isSendable,
  T,
  TYPE_COPY,
  TYPE_ROOT,
  typeId,
} from "../src/types/rules.js";
import type { CapType } from "../src/types/table.js";

const ISSUE_TYPES: CapType[] = [
  "PhysAddr",
  "RAM",
  "CNode",
  "Dispatcher",
  "EndPoint",
  "Frame",
  "Frame_Mapping",
  "DevFrame",
  "DevFrame_Mapping",
  "VNode_x86_64_pml4",
  "VNode_x86_64_pdpt",
  "VNode_x86_64_pdir",
  "VNode_x86_64_ptable",
  "VNode_x86_64_pml4_Mapping",
  "VNode_x86_64_pdpt_Mapping",
  "VNode_x86_64_pdir_Mapping",
  "VNode_x86_64_ptable_Mapping",
  "KernelControlBlock",
  "IRQTable",
  "IRQDest",
  "IRQSrc",
  "IO",
  "ID",
  "Kernel",
  "IPI",
  "Null",
];

describe("type table", () => {
  test("holds exactly the caps.hl types the issue names", () => {
    expect([...CAP_TYPES].sort()).toEqual([...ISSUE_TYPES].sort());
  });

  test("canRetype follows caps.hl", () => {
    const allowed: [CapType, CapType][] = [
      ["PhysAddr", "PhysAddr"],
      ["PhysAddr", "RAM"],
      ["PhysAddr", "DevFrame"],
      ["RAM", "RAM"],
      ["RAM", "Frame"],
      ["RAM", "CNode"],
      ["RAM", "Dispatcher"],
      ["RAM", "VNode_x86_64_pml4"],
      ["RAM", "VNode_x86_64_pdpt"],
      ["RAM", "VNode_x86_64_pdir"],
      ["RAM", "VNode_x86_64_ptable"],
      ["RAM", "KernelControlBlock"],
      ["Frame", "Frame"],
      ["DevFrame", "DevFrame"],
      ["Dispatcher", "EndPoint"],
      ["IRQSrc", "IRQSrc"],
      ["IO", "IO"],
    ];
    const key = (a: string, b: string) => `${a}>${b}`;
    const want = new Set(allowed.map(([a, b]) => key(a, b)));
    for (const from of CAP_TYPES) {
      for (const to of CAP_TYPES) expect(canRetype(from, to), key(from, to)).toBe(want.has(key(from, to)));
    }
  });

  test("mapping types are never made by retype", () => {
    for (const to of CAP_TYPES.filter((t) => t.endsWith("_Mapping"))) {
      for (const from of CAP_TYPES) expect(canRetype(from, to)).toBe(false);
    }
  });

  test("every type sorts after the types it is retyped from (MDB same-range order)", () => {
    for (const to of CAP_TYPES) {
      for (const from of CAP_TYPES)
        if (from !== to && canRetype(from, to)) expect(typeId(from)).toBeLessThan(typeId(to));
    }
  });

  test("type roots group memory types under PhysAddr and keep other trees apart", () => {
    for (const t of [
      "RAM",
      "Frame",
      "CNode",
      "EndPoint",
      "Frame_Mapping",
      "VNode_x86_64_ptable_Mapping",
    ] as const) {
      expect(TYPE_ROOT[typeId(t)]).toBe(T.PhysAddr);
    }
    expect(TYPE_ROOT[typeId("IRQSrc")]).toBe(typeId("IRQSrc"));
    expect(TYPE_ROOT[typeId("IO")]).toBe(typeId("IO"));
  });

  test("copy rules and sendability", () => {
    expect(TYPE_COPY[typeId("Kernel")]).toBe(1);
    expect(TYPE_COPY[typeId("Null")]).toBe(2);
    expect(TYPE_COPY[typeId("Frame_Mapping")]).toBe(2);
    expect(isSendable("Frame")).toBe(true);
    expect(isSendable("Frame_Mapping")).toBe(false);
    expect(isSendable("Kernel")).toBe(false);
  });

  test("size rules", () => {
    expect(checkObjectSize(T.CNode, 16384)).toBeNull();
    expect(checkObjectSize(T.CNode, 16384 * 3)).toBeNull();
    expect(checkObjectSize(T.CNode, 4096)).toMatch(/multiple of 16384/);
    expect(checkObjectSize(T.Ptable, 4096)).toBeNull();
    expect(checkObjectSize(T.Ptable, 8192)).toMatch(/4096 bytes/);
    expect(checkObjectSize(T.Dispatcher, 1024)).toBeNull();
    expect(checkObjectSize(T.Frame, 0)).not.toBeNull();
    expect(checkObjectSize(typeId("Frame_Mapping"), 1)).toMatch(/mapping/);
  });
});
