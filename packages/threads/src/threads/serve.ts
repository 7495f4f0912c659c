/**
 * A core's thread scheduler: runs the threads started on this core, cooperatively. Transport-free:
 * `send` carries its messages to the domain's coordinator (ThreadSystem), `subscribe` hands it the
 * coordinator's; a worker wires them to its parentPort (scheduler.ts), a dispatcher of a spanning
 * domain to a binding (os/scheduler-dispatcher.ts). It says `ready` once it listens.
 */
import { ThreadsError } from "../errors.js";
import { serializeError } from "../team/protocol.js";
import { running, ThreadExit, type ThreadRecord, type ThreadSelf } from "./current.js";
import type { FromScheduler, ThreadEntry, ThreadOutcome, ToScheduler } from "./protocol.js";

/** Serves the scheduler of `core` over `send` / `subscribe`. */
export function serveScheduler(
  core: number,
  send: (m: FromScheduler) => void,
  subscribe: (handler: (m: ToScheduler) => void) => void,
): void {
  let nextReq = 0;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const ask = (make: (req: number) => FromScheduler) =>
    new Promise<unknown>((resolve, reject) => {
      const req = ++nextReq;
      waiting.set(req, { resolve, reject });
      send(make(req));
    });

  function selfFor(id: number): ThreadSelf {
    return {
      id,
      core,
      // setImmediate queues behind every thread already runnable here: round-robin among this core's threads.
      yield: () => new Promise((r) => setImmediate(r)),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      exit: (code) => {
        throw new ThreadExit(code);
      },
      create: async (entry, arg, opts) =>
        (await ask((req) => ({
          kind: "create",
          req,
          entry,
          arg,
          core: opts?.core ?? core,
          detached: opts?.detached ?? false,
        }))) as number,
      join: async (target) =>
        (await ask((req) => ({ kind: "join", req, id: target }))) as { code: number; value: unknown },
      detach: (target) => send({ kind: "detach", id: target }),
    };
  }

  async function runThread(id: number, entry: ThreadEntry, arg: unknown): Promise<ThreadOutcome> {
    const record: ThreadRecord = { self: selfFor(id), locals: new Map() };
    try {
      const mod = (await import(entry.module)) as Record<string, unknown>;
      const fn = mod[entry.name];
      if (typeof fn !== "function") {
        throw new ThreadsError("ENTRY_NOT_FOUND", `${entry.module} exports no function ${entry.name}`);
      }
      const value = await running.run(record, () =>
        (fn as (s: ThreadSelf, a: unknown) => unknown)(record.self, arg),
      );
      return { ok: true, code: typeof value === "number" && Number.isInteger(value) ? value : 0, value };
    } catch (e) {
      if (e instanceof ThreadExit) return { ok: true, code: e.code, value: undefined };
      return { ok: false, error: serializeError(e) };
    }
  }

  subscribe((m: ToScheduler) => {
    switch (m.kind) {
      case "start":
        void runThread(m.id, m.entry, m.arg).then((outcome) => send({ kind: "ended", id: m.id, outcome }));
        return;
      case "created": {
        const w = waiting.get(m.req);
        waiting.delete(m.req);
        if (m.error !== undefined) w?.reject(new ThreadsError("BAD_ARGUMENT", m.error.message));
        else w?.resolve(m.id);
        return;
      }
      case "joined": {
        const w = waiting.get(m.req);
        waiting.delete(m.req);
        if (m.outcome.ok) w?.resolve({ code: m.outcome.code, value: m.outcome.value });
        else w?.reject(rebuild(m.outcome.error));
        return;
      }
    }
  });
  send({ kind: "ready" });
}

function rebuild(e: { name: string; message: string; stack?: string; code?: string }): ThreadsError {
  const known = e.code === "DETACHED" || e.code === "ALREADY_JOINED" || e.code === "BAD_ARGUMENT";
  const err = known
    ? new ThreadsError(e.code as "DETACHED", e.message.replace(/^[A-Z_]+: /, ""))
    : new ThreadsError("THREAD_FAILED", `${e.name}: ${e.message}`);
  if (e.stack !== undefined) err.stack = `${err.message}\n--- in the thread ---\n${e.stack}`;
  return err;
}
