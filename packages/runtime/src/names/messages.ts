/**
 * The name service's messages between member threads and the hub (over each member's link port).
 */
import type { MessagePort } from "node:worker_threads";
import type { Transport } from "../channel.js";
import type { Endpoint } from "../endpoint.js";
import type { ShoalErrorCode } from "../errors.js";
import type { ConnectOptions } from "../options.js";

/** Marker of a link. */
export const NAMES_TAG = "shoal.names/1";

/** What a worker needs to join the hub's name service (post with `transferList: [link.port]`). */
export interface NameServiceLink {
  readonly tag: typeof NAMES_TAG;
  readonly port: MessagePort;
}

/** Member → hub. */
export type HubRequest =
  | { readonly t: "hello"; readonly thread: number }
  | { readonly t: "export"; readonly req: number; readonly name: string; readonly thread: number }
  | { readonly t: "unexport"; readonly req: number; readonly name: string; readonly thread: number }
  | {
      readonly t: "bind";
      readonly req: number;
      readonly name: string;
      readonly thread: number;
      readonly transport: Transport | undefined;
      readonly connect: ConnectOptions | undefined;
      readonly timeoutMs: number;
    };

/** Hub → member. */
export type HubReply =
  | { readonly t: "exported"; readonly req: number }
  | { readonly t: "bound"; readonly req: number; readonly endpoint: Endpoint }
  | { readonly t: "accept"; readonly name: string; readonly endpoint: Endpoint }
  | { readonly t: "failed"; readonly req: number; readonly code: ShoalErrorCode; readonly message: string };

/** Shape check of a request (the hub never trusts what arrives on a port). */
export function isHubRequest(m: unknown): m is HubRequest {
  if (typeof m !== "object" || m === null) return false;
  const r = m as { t?: unknown; thread?: unknown; name?: unknown; req?: unknown };
  if (typeof r.thread !== "number") return false;
  if (r.t === "hello") return true;
  return (
    (r.t === "export" || r.t === "unexport" || r.t === "bind") &&
    typeof r.name === "string" &&
    typeof r.req === "number"
  );
}

/** Shape check of a reply. */
export function isHubReply(m: unknown): m is HubReply {
  if (typeof m !== "object" || m === null) return false;
  const t = (m as { t?: unknown }).t;
  return t === "exported" || t === "bound" || t === "accept" || t === "failed";
}
