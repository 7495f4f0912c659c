/**
 * A core's thread scheduler as a dispatcher of a spanning domain (built to
 * dist/src/os/scheduler-dispatcher.js; {@link spanExecutor} spans one to each core with entry
 * `scheduler`). It exports `thread_sched.if` under `<tag>.<core>`; the coordinator binds, says hello,
 * and from then on the scheduler protocol (src/threads/protocol.ts) goes as JSON in `msg` both ways:
 * starts and answers in, ready / ended / create / join / detach back on the export's binding.
 */
import type { Domain } from "@shoal/libshoal";
import { ThreadSched } from "../gen/thread_sched.js";
import type { FromScheduler, ToScheduler } from "../threads/protocol.js";
import { serveScheduler } from "../threads/serve.js";

/** What the coordinator sends first: the binding to answer on is then known. */
export const HELLO = '{"kind":"hello"}';

export async function scheduler(self: Domain, args: string[]): Promise<number> {
  const { tag, core } = JSON.parse(args[0] ?? "{}") as { tag: string; core: number };
  let deliver: ((m: ToScheduler) => void) | undefined;
  let finish: ((code: number) => void) | undefined;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const iref = await self.export(ThreadSched, {
    rx: {
      msg(this: { binding: ThreadSched }, json: string) {
        if (json === HELLO) {
          const binding = this.binding;
          serveScheduler(
            core,
            (m: FromScheduler) => {
              void binding.tx.msg(JSON.stringify(m)).catch(() => {});
            },
            (h) => {
              deliver = h;
            },
          );
          return;
        }
        deliver?.(JSON.parse(json) as ToScheduler);
      },
      finish: (code: number) => finish?.(code),
    },
    onError: (e) => {
      if (e.code !== "PEER_DIED" && e.code !== "CLOSED")
        self.log(`thread scheduler ${core}: ${e.code}: ${e.message}`);
    },
  });
  await self.names.register(`${tag}.${core}`, iref);
  return finished;
}
