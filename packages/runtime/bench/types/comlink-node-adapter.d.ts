// comlink 4.4.2 ships no .d.mts beside its ESM node adapter; this is the one export it has.
declare module "comlink/dist/esm/node-adapter.mjs" {
  import type { Endpoint } from "comlink";
  /** The subset of a Node `Worker` / `MessagePort` that Comlink uses. */
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly unknown[]): void;
    on(type: string, listener: (value: unknown) => void): void;
    off(type: string, listener: (value: unknown) => void): void;
    start?: () => void;
  }
  /** Adapts a worker_threads Worker or parentPort to Comlink's Endpoint. */
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
