/**
 * The bind handshake over the runtime's real transports: two ends generated from different versions of
 * an interface fail to bind with BIND_MISMATCH naming both fingerprints, reported to the error handler
 * and to pending calls, instead of misreading each other's messages.
 */
import type { ShoalError } from "@shoal/runtime";
import { connectPair, isShoalError } from "@shoal/runtime";
import { describe, expect, it } from "vitest";
import { importBinding, scratchDir, writeStubs } from "./support/corpus.js";
import { iface, msg, rpc, val } from "./support/models.js";

const v1 = iface("versioned", [msg("ping", val("uint32", "x")), rpc("get", ["out", val("uint32", "y")])]);
const v2 = iface("versioned", [msg("ping", val("uint64", "x")), rpc("get", ["out", val("uint32", "y")])]);

function within<T>(p: Promise<T>, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe.each(["urpc", "lrpc", "port"] as const)("bind handshake (%s)", (transport) => {
  it("refuses to bind different versions of an interface with BIND_MISMATCH", async () => {
    const A = await importBinding(
      writeStubs([v1], scratchDir(`bind-${transport}/v1`)).get("versioned") ?? "",
      "versioned",
    );
    const B = await importBinding(
      writeStubs([v2], scratchDir(`bind-${transport}/v2`)).get("versioned") ?? "",
      "versioned",
    );
    expect(A.fingerprint).not.toBe(B.fingerprint);
    const [a, b] = connectPair(transport);
    let serverError: ShoalError | undefined;
    const seen = new Promise<ShoalError>((resolve) => {
      B.bind(b, {
        rpc: { get: () => ({ y: 1 }) },
        onError: (e: ShoalError) => {
          serverError = e;
          resolve(e);
        },
      });
    });
    const client = A.bind(a, { onError: () => undefined });
    const call = client.rpc.get?.().then(
      () => undefined,
      (e: unknown) => e,
    );
    const e = await within(seen);
    expect(isShoalError(e, "BIND_MISMATCH")).toBe(true);
    expect(e.message).toContain(A.fingerprint);
    expect(e.message).toContain(B.fingerprint);
    expect(serverError?.code).toBe("BIND_MISMATCH");
    const callError = await within(call ?? Promise.resolve(undefined));
    expect(isShoalError(callError) ? callError.code : callError).toMatch(/BIND_MISMATCH|CLOSED/);
    await client.close();
  });
});
