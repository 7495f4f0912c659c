/**
 * The executor seam over a spanning domain: `ThreadSystem.start({ cores, executor: spanExecutor(self) })`
 * inside a domain runs each core's thread scheduler as a dispatcher of that same domain on that core
 * (Domain.span), and the coordinator's messages go over a `thread_sched.if` binding to it instead of
 * a worker's postMessage. Only the thread scheduler is hosted this way (the entry ThreadSystem names
 * is its worker form; the team runtime has its own OS path, runOnOs).
 */
import { fileURLToPath } from "node:url";
import type { Domain } from "@shoal/libshoal";
import { builtModule } from "../built.js";
import { ThreadsError } from "../errors.js";
import { ThreadSched } from "../gen/thread_sched.js";
import type { Executor, ExecutorMember } from "../team/executor.js";
import { HELLO } from "./scheduler-dispatcher.js";

let executors = 0;

/** An {@link Executor} whose members are dispatchers of `self`'s domain, one per requested core. */
export function spanExecutor(self: Domain): Executor {
  const tag = `ts${self.id}-${executors++}`;
  const path = fileURLToPath(builtModule("os/scheduler-dispatcher.js"));
  return {
    start(entry, _data, core) {
      if (!entry.pathname.endsWith("/threads/scheduler.js"))
        throw new ThreadsError(
          "BAD_ARGUMENT",
          `spanExecutor hosts thread schedulers only, not ${entry.href}`,
        );
      const c = core ?? self.core;
      const handlers: ((m: unknown) => void)[] = [];
      const exitHandlers: ((e: Error) => void)[] = [];
      let dead = false;
      const die = (e: Error) => {
        if (dead) return;
        dead = true;
        for (const h of exitHandlers) h(e);
      };
      // Messages posted before the binding is up wait for it, in order.
      const binding: Promise<ThreadSched | undefined> = (async () => {
        const spanned = await self.span(c, path, {
          entry: "scheduler",
          args: [JSON.stringify({ tag, core: c })],
        });
        void spanned.exited.then((code) =>
          die(new Error(`the scheduler dispatcher on core ${c} exited with ${code}`)),
        );
        const b = await self.bind(
          ThreadSched,
          await self.names.lookup(`${tag}.${c}`, { timeoutMs: 30_000 }),
          {
            rx: {
              msg: (json: string) => {
                const m = JSON.parse(json) as unknown;
                for (const h of handlers) h(m);
              },
            },
            onError: (e) => {
              if (e.code === "PEER_DIED" || e.code === "CLOSED")
                die(new Error(`core ${c}: ${e.code}: ${e.message}`));
            },
          },
        );
        await b.tx.msg(HELLO);
        return b;
      })().catch((e: unknown) => {
        die(e instanceof Error ? e : new Error(String(e)));
        return undefined;
      });
      let queue: Promise<unknown> = binding;
      const member: ExecutorMember = {
        post: (m) => {
          const json = JSON.stringify(m);
          queue = queue.then(async () => (await binding)?.tx.msg(json)).catch(() => {});
        },
        onMessage: (h) => {
          handlers.push(h);
        },
        onExit: (h) => {
          exitHandlers.push(h);
        },
        terminate: async () => {
          dead = true;
          await queue;
          await (await binding)?.tx.finish(0).catch(() => {});
        },
      };
      return member;
    },
  };
}
