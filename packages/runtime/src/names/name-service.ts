/**
 * A small name service for the workers of one process, until the monitor exists: export an interface
 * under a name, bind to it by name (Flounder's export/bind through an iref). The thread that hands out
 * links (normally the main thread) is the hub: it keeps the registry, creates each connection and posts
 * one end to the exporter and the other to the binder. The transport follows from where the two ends
 * live: the same thread → lrpc, SharedArrayBuffer available → urpc, else port; `transport` overrides.
 *
 *   main:   new Worker(file, { workerData: { names: link }, transferList: [link.port] })   (link = nameServiceLink())
 *   worker: joinNameService(workerData.names)
 *   any:    await exportService("echo", (ep) => Echo.bind(ep, handlers));
 *           const client = Echo.bind(await bindService("echo"));
 */
import { MessageChannel, type MessagePort, threadId } from "node:worker_threads";
import type { Transport } from "../channel.js";
import { connectPair } from "../connect.js";
import { type Endpoint, transferList } from "../endpoint.js";
import { ShoalError } from "../errors.js";
import type { ConnectOptions } from "../options.js";
import {
  type HubReply,
  type HubRequest,
  isHubReply,
  isHubRequest,
  NAMES_TAG,
  type NameServiceLink,
} from "./messages.js";

/** Options of {@link bindService}. */
export interface BindServiceOptions {
  /** Force a transport instead of choosing from where the ends live (lrpc needs both in one thread). */
  readonly transport?: Transport;
  /** How long to wait for the name to be exported (ms, default 5000). */
  readonly timeoutMs?: number;
  /** Options of the connection (ring lines, queue bound, credits). */
  readonly connect?: ConnectOptions;
}

/** What {@link exportService} returns. */
export interface ExportedService {
  /** Removes the name: later binds wait or fail with NO_SUCH_SERVICE; connections already made stay. */
  unexport(): void;
}

/** Called with a fresh endpoint for each client that binds to an exported name. */
export type OnConnect = (endpoint: Endpoint) => void;

interface Exported {
  readonly thread: number;
  /** Set when the exporter is this thread. */
  readonly onConnect: OnConnect | null;
}

interface PendingBind {
  readonly name: string;
  readonly transport: Transport | undefined;
  readonly connect: ConnectOptions | undefined;
  readonly from: number;
  readonly req: number;
  readonly timer: ReturnType<typeof setTimeout>;
}

const local = new Map<string, OnConnect>();
/** Hub state (this thread is the hub until it joins another). */
const registry = new Map<string, Exported>();
const links = new Map<number, MessagePort>();
const waiting: PendingBind[] = [];
/** Member state: the link to the hub once joined, and requests awaiting the hub's reply. */
let hub: MessagePort | null = null;
let nextReq = 1;
const replies = new Map<number, { resolve: (r: HubReply) => void }>();
/** Ports of this thread's side of every link (hub ends, or the member's end). */
const linkPorts = new Set<MessagePort>();

/**
 * Links are unref'd so they never keep a thread alive on their own, except while something is due:
 * an answer this thread waits for, a name it exports (binders may come), or a bind waiting for a name.
 */
function refreshRefs(): void {
  const busy = replies.size > 0 || local.size > 0 || waiting.length > 0;
  for (const p of linkPorts) {
    if (busy) p.ref();
    else p.unref();
  }
}

function defaultTransport(): Transport {
  return typeof SharedArrayBuffer === "function" ? "urpc" : "port";
}

/** Hub: makes a link for one worker; post it with `transferList: [link.port]` and call joinNameService there. */
export function nameServiceLink(): NameServiceLink {
  if (hub !== null)
    throw new ShoalError(
      "BAD_ENDPOINT",
      "only the hub thread (the one that was not joined to another) hands out links",
    );
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (m: unknown) => {
    if (isHubRequest(m)) hubHandle(m, port1);
  });
  linkPorts.add(port1);
  refreshRefs();
  return { tag: NAMES_TAG, port: port2 };
}

/** Worker: joins the name service of the thread that made `link`. */
export function joinNameService(link: NameServiceLink): void {
  if (typeof link !== "object" || link === null || link.tag !== NAMES_TAG) {
    throw new ShoalError(
      "BAD_ENDPOINT",
      "not a name service link (make one with nameServiceLink() in the hub thread)",
    );
  }
  if (hub !== null) throw new ShoalError("BAD_ENDPOINT", "this thread has already joined a name service");
  hub = link.port;
  hub.on("message", (m: unknown) => {
    if (!isHubReply(m)) return;
    if (m.t === "accept") local.get(m.name)?.(m.endpoint);
    else replies.get(m.req)?.resolve(m);
  });
  linkPorts.add(hub);
  refreshRefs();
  hub.postMessage({ t: "hello", thread: threadId } satisfies HubRequest);
}

function ask(req: HubRequest & { req: number }): Promise<HubReply> {
  const port = hub as MessagePort;
  return new Promise<HubReply>((resolve) => {
    replies.set(req.req, { resolve });
    refreshRefs();
    port.postMessage(req);
  }).finally(() => {
    replies.delete(req.req);
    refreshRefs();
  });
}

/** Exports an interface under `name`: `onConnect` receives a fresh endpoint for every binder. */
export async function exportService(name: string, onConnect: OnConnect): Promise<ExportedService> {
  if (typeof name !== "string" || name === "")
    throw new ShoalError("BAD_OPTION", "service name must be a non-empty string");
  if (local.has(name))
    throw new ShoalError("BAD_OPTION", `service ${name} is already exported by this thread`);
  const member = hub;
  if (member === null) {
    if (registry.has(name)) throw new ShoalError("BAD_OPTION", `service ${name} is already exported`);
    local.set(name, onConnect);
    hubExport(name, threadId, onConnect);
  } else {
    local.set(name, onConnect);
    const r = await ask({ t: "export", req: nextReq++, name, thread: threadId });
    if (r.t === "failed") {
      local.delete(name);
      refreshRefs();
      throw new ShoalError(r.code, r.message);
    }
  }
  refreshRefs();
  return {
    unexport() {
      if (local.get(name) !== onConnect) return;
      local.delete(name);
      if (member === null) registry.delete(name);
      else member.postMessage({ t: "unexport", req: nextReq++, name, thread: threadId } satisfies HubRequest);
      refreshRefs();
    },
  };
}

/** Binds to the interface exported under `name`; resolves with this side's endpoint. */
export async function bindService(name: string, options: BindServiceOptions = {}): Promise<Endpoint> {
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0)
    throw new ShoalError("BAD_OPTION", "options.timeoutMs must be a non-negative number");
  const mine = local.get(name);
  if (mine !== undefined) {
    const [a, b] = connectPair(options.transport ?? "lrpc", options.connect);
    mine(b);
    return a;
  }
  if (hub === null) {
    return new Promise((resolve, reject) =>
      hubBind(name, options.transport, options.connect, threadId, 0, timeoutMs, { resolve, reject }),
    );
  }
  const r = await ask({
    t: "bind",
    req: nextReq++,
    name,
    thread: threadId,
    transport: options.transport,
    connect: options.connect,
    timeoutMs,
  });
  if (r.t === "failed") throw new ShoalError(r.code, r.message);
  if (r.t !== "bound") throw new ShoalError("BAD_ENDPOINT", `name service answered ${r.t} to a bind`);
  return r.endpoint;
}

// ---- hub ------------------------------------------------------------------------------------------

interface LocalBinder {
  resolve(ep: Endpoint): void;
  reject(e: ShoalError): void;
}
const localBinders = new Map<number, LocalBinder>();

function hubHandle(m: HubRequest, port: MessagePort): void {
  switch (m.t) {
    case "hello":
      links.set(m.thread, port);
      return;
    case "export":
      if (registry.has(m.name)) {
        port.postMessage({
          t: "failed",
          req: m.req,
          code: "BAD_OPTION",
          message: `service ${m.name} is already exported`,
        } satisfies HubReply);
        return;
      }
      hubExport(m.name, m.thread, null);
      port.postMessage({ t: "exported", req: m.req } satisfies HubReply);
      return;
    case "unexport":
      if (registry.get(m.name)?.thread === m.thread) registry.delete(m.name);
      return;
    case "bind":
      hubBind(m.name, m.transport, m.connect, m.thread, m.req, m.timeoutMs, null);
      return;
  }
}

function hubExport(name: string, thread: number, onConnect: OnConnect | null): void {
  registry.set(name, { thread, onConnect });
  for (const p of waiting.filter((w) => w.name === name)) {
    waiting.splice(waiting.indexOf(p), 1);
    clearTimeout(p.timer);
    hubConnect(p.name, p.transport, p.connect, p.from, p.req);
  }
  refreshRefs();
}

function hubBind(
  name: string,
  transport: Transport | undefined,
  connect: ConnectOptions | undefined,
  from: number,
  req: number,
  timeoutMs: number,
  binder: LocalBinder | null,
): void {
  const r = binder === null ? req : nextReq++;
  if (binder !== null) localBinders.set(r, binder);
  if (registry.has(name)) {
    hubConnect(name, transport, connect, from, r);
    return;
  }
  const timer = setTimeout(() => {
    waiting.splice(
      waiting.findIndex((w) => w.req === r && w.from === from),
      1,
    );
    refreshRefs();
    hubFail(
      from,
      r,
      "NO_SUCH_SERVICE",
      `no service is exported as ${name} (waited ${timeoutMs} ms; workers must call joinNameService)`,
    );
  }, timeoutMs);
  waiting.push({ name, transport, connect, from, req: r, timer });
  refreshRefs();
}

function hubConnect(
  name: string,
  transport: Transport | undefined,
  connect: ConnectOptions | undefined,
  from: number,
  req: number,
): void {
  const exp = registry.get(name) as Exported;
  const t = transport ?? defaultTransport();
  if (t === "lrpc" && exp.thread !== from) {
    hubFail(
      from,
      req,
      "BAD_ENDPOINT",
      `service ${name} lives in another thread: lrpc needs both ends in one thread`,
    );
    return;
  }
  let pair: [Endpoint, Endpoint];
  try {
    pair = connectPair(t, connect);
  } catch (e) {
    hubFail(from, req, "BAD_OPTION", e instanceof Error ? e.message : String(e));
    return;
  }
  const [server, client] = pair;
  if (exp.onConnect !== null) exp.onConnect(server);
  else
    links
      .get(exp.thread)
      ?.postMessage({ t: "accept", name, endpoint: server } satisfies HubReply, transferList(server));
  if (from === threadId && localBinders.has(req)) {
    localBinders.get(req)?.resolve(client);
    localBinders.delete(req);
  } else {
    links
      .get(from)
      ?.postMessage({ t: "bound", req, endpoint: client } satisfies HubReply, transferList(client));
  }
}

function hubFail(
  to: number,
  req: number,
  code: "NO_SUCH_SERVICE" | "BAD_ENDPOINT" | "BAD_OPTION",
  message: string,
): void {
  const binder = to === threadId ? localBinders.get(req) : undefined;
  if (binder !== undefined) {
    localBinders.delete(req);
    binder.reject(new ShoalError(code, message));
  } else {
    links.get(to)?.postMessage({ t: "failed", req, code, message } satisfies HubReply);
  }
}
