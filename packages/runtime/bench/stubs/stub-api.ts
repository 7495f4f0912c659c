/**
 * The slice of docs/design.md's "public contract of generated stubs" the benchmark codes against, typed
 * here so the bench compiles and can report "not available" while `@shoal/runtime` or the generated
 * `gen/bench.ts` do not exist yet. {@link loadStubs} checks the real modules against it at run time.
 */

/** The three stub transports. */
export type StubTransport = "urpc" | "lrpc" | "port";

/** `connectPair` options the bench uses (ring lines for urpc, credits for port). */
export interface PairOptions {
  readonly lines?: number;
  readonly credits?: number;
}

/** What the bench needs from `@shoal/runtime`. */
export interface RuntimeApi {
  connectPair(transport: StubTransport, options?: PairOptions): [unknown, unknown];
  /** Objects to transfer when posting endpoints (MessagePorts); absent in early runtimes. */
  transferList?(...endpoints: unknown[]): unknown[];
  /** This thread's dispatcher counters; absent in early runtimes. */
  dispatcherStats?(): { readonly sleeps: number };
}

/** Sixteen uint32 words: the arguments of `payload64`. */
export type Words16 = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/** `tx` of interface bench: one method per message, resolving when the message is sent. */
export interface BenchTx {
  ping(val: bigint): Promise<void>;
  pong(val: bigint): Promise<void>;
  payload8(w0: number, w1: number): Promise<void>;
  payload64(...w: Words16): Promise<void>;
  payload256(data: Uint8Array): Promise<void>;
  payload2048(data: Uint8Array): Promise<void>;
  done(count: bigint): Promise<void>;
}

/** A bound end of interface bench. */
export interface BenchBinding {
  readonly tx: BenchTx;
  readonly rpc: { echo(val: bigint): Promise<{ result: bigint }> };
  canSend(): boolean;
  whenSendable(): Promise<void>;
  close(): Promise<void>;
}

/** Handlers a bound end may give (every one optional). */
export interface BenchHandlers {
  readonly rx?: {
    ping?(val: bigint): void;
    pong?(val: bigint): void;
    payload8?(w0: number, w1: number): void;
    payload64?(...w: Words16): void;
    payload256?(data: Uint8Array): void;
    payload2048?(data: Uint8Array): void;
    done?(count: bigint): void;
  };
  readonly rpc?: { echo?(val: bigint): { result: bigint } | Promise<{ result: bigint }> };
}

/** The generated module's export. */
export interface BenchStubs {
  bind(endpoint: unknown, handlers?: BenchHandlers): BenchBinding;
}
