import { Worker } from "node:worker_threads";

/**
 * The executor seam: where a team member (or a thread) runs. The worker_threads executor runs each on
 * its own worker; on shoal's OS the team runs as dispatchers of one spanning domain instead
 * (`@shoal/threads/os`, docs/threads.md "On the OS"), whose members talk over bomp.if bindings. Members talk to their host only through `post`/`onMessage` (small structured-clone
 * messages: the BOMP `execute`/`done` pair) and share memory through the handles they are given.
 */
export interface Executor {
  /** Starts `entry` (a built module URL) with `data`, on `core` if the executor places members. */
  start(entry: URL, data: unknown, core?: number): ExecutorMember;
}

/** One running member. */
export interface ExecutorMember {
  post(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  /** Called once if the member dies (an uncaught error or an exit). */
  onExit(handler: (error: Error) => void): void;
  terminate(): Promise<void>;
}

/** Members as Node worker threads (`core` is ignored: Node does not pin threads). */
export const workerExecutor: Executor = {
  start(entry, data) {
    const w = new Worker(entry, { workerData: data });
    let exited = false;
    const exitHandlers: ((e: Error) => void)[] = [];
    const die = (e: Error) => {
      if (exited) return;
      exited = true;
      for (const h of exitHandlers) h(e);
    };
    w.on("error", (e) => die(e instanceof Error ? e : new Error(String(e))));
    w.on("exit", (code) => die(new Error(`worker exited with code ${code}`)));
    return {
      post: (m) => w.postMessage(m),
      onMessage: (h) => {
        w.on("message", h);
      },
      onExit: (h) => {
        exitHandlers.push(h);
      },
      terminate: async () => {
        exited = true;
        await w.terminate();
      },
    };
  },
};
