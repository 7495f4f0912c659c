import { describe, expect, it } from "vitest";
import { connectPair } from "./connect.js";
import { ShoalError } from "./errors.js";
import type { ConnectOptions } from "./options.js";
import { resolveConnectOptions } from "./options.js";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ShoalError);
    expect((e as ShoalError).code).toBe("BAD_OPTION");
    return (e as Error).message;
  }
  throw new Error("expected a BAD_OPTION error");
}

describe("connect options", () => {
  it("fills in Barrelfish's defaults", () => {
    expect(resolveConnectOptions(undefined)).toEqual({
      lines: 32,
      sendQueue: 4096,
      credits: 64,
      receiveBudget: 64 * 1024 * 1024,
    });
  });

  it.each([3, 1, 0, 8192, 2.5, -4, Number.NaN])("rejects lines = %s precisely", (lines) => {
    expect(message(() => connectPair("urpc", { lines }))).toBe(
      `options.lines must be a power of two between 2 and 4096, got ${String(lines)}`,
    );
  });

  it("accepts every power of two from 2 to 4096", () => {
    for (let lines = 2; lines <= 4096; lines *= 2) expect(resolveConnectOptions({ lines }).lines).toBe(lines);
  });

  it("names the option and its range for sendQueue and credits, and unknown keys", () => {
    expect(message(() => resolveConnectOptions({ sendQueue: 0 }))).toBe(
      "options.sendQueue must be an integer between 1 and 1000000, got 0",
    );
    expect(message(() => resolveConnectOptions({ credits: 1.5 }))).toBe(
      "options.credits must be an integer between 1 and 65536, got 1.5",
    );
    expect(message(() => resolveConnectOptions({ receiveBudget: 100 }))).toBe(
      "options.receiveBudget must be an integer between 4096 and 1073741824, got 100",
    );
    expect(message(() => resolveConnectOptions({ ring: 4 } as unknown as ConnectOptions))).toBe(
      "options.ring is not a connect option (lines, sendQueue, credits, receiveBudget)",
    );
  });

  it("rejects an unknown transport", () => {
    expect(message(() => connectPair("tcp" as unknown as "urpc"))).toBe(
      'transport must be "urpc", "lrpc" or "port", got "tcp"',
    );
  });
});
