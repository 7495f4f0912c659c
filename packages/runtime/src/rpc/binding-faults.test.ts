import { afterEach, describe, expect, it, vi } from "vitest";
import { isShoalError, type ShoalError } from "../errors.js";
import { BindingFaults } from "./binding-faults.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("BindingFaults", () => {
  it("reports a bad message as BAD_MESSAGE naming the message and field", () => {
    const seen: ShoalError[] = [];
    new BindingFaults("demo", (e) => seen.push(e)).bad("m", "name", "malformed UTF-8");
    expect(seen).toHaveLength(1);
    expect(isShoalError(seen[0], "BAD_MESSAGE")).toBe(true);
    expect(seen[0]?.message).toBe("demo: bad message m.name: malformed UTF-8");
    expect(seen[0]).toMatchObject({ messageName: "m", field: "name" });
  });

  it("refuses an oversized argument with MSG_SIZE, as a rejected promise", async () => {
    const p = new BindingFaults("demo", undefined).tooBig("m", "s", 15, 16);
    await expect(p).rejects.toMatchObject({
      code: "MSG_SIZE",
      message: "demo.m: 's' has 16 bytes or elements; the bound is 15",
      messageName: "m",
      field: "s",
    });
  });

  it("reports a handler's rejected promise like a throw, and ignores plain results", async () => {
    const seen: ShoalError[] = [];
    const faults = new BindingFaults("demo", (e) => seen.push(e));
    faults.after(undefined, "m");
    faults.after({ result: 1 }, "m");
    faults.after(Promise.reject(new Error("boom")), "m");
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ code: "HANDLER_FAILED", message: "demo: handler of m failed: boom" });
    expect((seen[0] as Error).cause).toBeInstanceOf(Error);
  });

  it("contains an onError that throws, and prints when there is no onError", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const throwing = new BindingFaults("demo", () => {
      throw new Error("handler bug");
    });
    expect(() => throwing.bad("m", "", "why")).not.toThrow();
    new BindingFaults("demo", undefined).handlerFailed("m", "text");
    expect(log).toHaveBeenCalledWith("demo: HANDLER_FAILED: demo: handler of m failed: text");
  });
});
