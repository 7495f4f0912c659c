/**
 * Type-level test of the generated stub API (docs/design.md, "The public contract of generated stubs"),
 * checked by `tsc -p tsconfig.json` in `pnpm test` and by test/typecheck.test.ts. Never executed.
 */
import { type CallOptions, type CapRef, connectPair, type ShoalError } from "@shoal/runtime";
import type { color, KitchenSinkRpc, KitchenSinkTx, point } from "../golden/fixtures/kitchen_sink.js";
import { PingPong, type PingPongMessages } from "../golden/interfaces/ping_pong.js";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}

declare const client: PingPong;

assertType<Equals<ReturnType<typeof client.rpc.testrpc>, Promise<{ testout: bigint }>>>();
assertType<
  Equals<Parameters<typeof client.rpc.testrpc>, [testin: bigint, $options?: CallOptions | undefined]>
>();
assertType<Equals<ReturnType<typeof client.tx.ping>, Promise<void>>>();
assertType<Equals<Parameters<typeof client.tx.ping>, [val: bigint]>>();
assertType<Equals<Parameters<typeof client.tx.str>, [id: number, s: string]>>();
assertType<Equals<Parameters<typeof client.tx.arr>, [id: number, a: Uint8Array]>>();
assertType<Equals<ReturnType<typeof client.canSend>, boolean>>();
assertType<Equals<ReturnType<typeof client.whenSendable>, Promise<void>>>();
assertType<Equals<ReturnType<typeof client.close>, Promise<void>>>();
assertType<Equals<typeof PingPongMessages.ping, 3>>();

declare const tx: KitchenSinkTx;
declare const rpc: KitchenSinkRpc;
assertType<Equals<color, "RED" | "GREEN" | "BLUE">>();
assertType<Equals<point, { x: number; flag: number; on: boolean; big: bigint }>>();
assertType<Equals<Parameters<typeof tx.wide>, [u64: bigint, i64: bigint, sz: bigint, ip: bigint]>>();
assertType<Equals<Parameters<typeof tx.bytes>, [data: Int8Array, name: string, more: Uint8Array]>>();
assertType<Equals<Parameters<typeof tx.caps>, [c1: CapRef, x: number, c2: CapRef]>>();
assertType<Equals<ReturnType<typeof rpc.typeof>, Promise<{ return: string; class: color }>>>();
assertType<Equals<ReturnType<typeof rpc.nothing>, Promise<void>>>();

/** The example of docs/design.md, as a program must be able to write it. */
export async function designExample(): Promise<void> {
  const [a, b] = connectPair("urpc");
  PingPong.bind(b, {
    rx: {
      ping(val) {
        assertType<Equals<typeof val, bigint>>();
      },
    },
    rpc: { testrpc: async (testin) => ({ testout: testin + 1n }) },
    onError: (e: ShoalError) => assertType<Equals<typeof e.code, ShoalError["code"]>>(),
  });
  const c = PingPong.bind(a);
  await c.tx.ping(42n);
  const { testout } = await c.rpc.testrpc(1n);
  assertType<Equals<typeof testout, bigint>>();
  // @ts-expect-error 64-bit values are bigints, not numbers
  await c.tx.ping(42);
  // @ts-expect-error the length argument of a dynamic array disappears
  await c.tx.arr(1, new Uint8Array(1), 1);
  // @ts-expect-error enum values are member names
  await tx.typed(0, { x: 0, flag: 0, on: true, big: 0n }, [0n, 0n], 0);
  c.canSend();
  await c.whenSendable();
  await c.close();
}
