import { describe, expect, it } from "vitest";
import { isOsError, OsError } from "./errors.js";

describe("OsError", () => {
  it("carries a stable code and narrows by it", () => {
    const e = new OsError("NO_SUCH_NAME", "no service is registered as 'x'");
    expect(isOsError(e)).toBe(true);
    expect(isOsError(e, "NO_SUCH_NAME")).toBe(true);
    expect(isOsError(e, "TIMEOUT")).toBe(false);
    expect(isOsError(new Error("x"))).toBe(false);
    expect(e.name).toBe("OsError");
  });
});
