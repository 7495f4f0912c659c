/** The language mapping: class names, escaping of reserved words and clashes, property keys. */
import { describe, expect, it } from "vitest";
import { exportNames, pascalCase, propertyKey, safeIdentifier, safeTypeName } from "../src/names.js";

describe("names", () => {
  it("turns interface names into PascalCase class names", () => {
    expect(pascalCase("ping_pong")).toBe("PingPong");
    expect(pascalCase("xmplrpc")).toBe("Xmplrpc");
    expect(pascalCase("net_ARP")).toBe("NetARP");
    expect(pascalCase("__x__y")).toBe("XY");
  });

  it("escapes reserved words and names already taken", () => {
    const taken = new Set<string>();
    expect(safeIdentifier("new", taken)).toBe("new_");
    expect(safeIdentifier("new_", taken)).toBe("new__");
    expect(safeIdentifier("val", taken)).toBe("val");
    expect(safeIdentifier("val", taken)).toBe("val_");
    expect(safeIdentifier("structuredClone")).toBe("structuredClone_");
    expect(safeIdentifier("await")).toBe("await_");
  });

  it("escapes type names TypeScript reserves and names of generated exports", () => {
    const taken = new Set<string>();
    const ex = exportNames("ping_pong", taken);
    expect(ex).toMatchObject({ binding: "PingPong", fingerprint: "PING_PONG_FINGERPRINT", tx: "PingPongTx" });
    expect(safeTypeName("PingPongTx", taken)).toBe("PingPongTx_");
    expect(safeTypeName("number", taken)).toBe("number_");
    expect(safeTypeName("coreid", taken)).toBe("coreid");
    expect(exportNames("promise", new Set()).binding).toBe("Promise_");
    expect(exportNames("text_encoder", new Set()).messages).toBe("TextEncoder_Messages");
  });

  it("prints property keys bare when they are identifiers, reserved words included", () => {
    expect(propertyKey("delete")).toBe("delete");
    expect(propertyKey("a-b")).toBe('"a-b"');
  });
});
