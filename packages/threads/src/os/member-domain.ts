/**
 * A team member on a booted core (built to dist/src/os/member-domain.js): a dispatcher of the
 * master's domain spanned to this core (`member`, mode "span"), or a domain of its own (the default
 * export, mode "domains"). It exports `bomp.if` under `<tag>.<tid>`; the master binds and hands it
 * the team's frames (`attach`: their addresses in the domain's shared address space, seen here
 * through this core's MMU; or `setup`: Frame caps this domain maps itself), then each
 * region's names (`prepare`: the module is imported before the run, so `execute` runs the region
 * inside its message upcall, measured by the CPU driver) and `execute`. The region runs on this
 * core's thread; its barriers and locks wait on the frames' physical words (blocking waits, which
 * the CPU driver accounts as blocked time), so a member needs its core to itself.
 */
import type { Domain } from "@shoal/libshoal";
import { Bomp } from "../gen/bomp.js";
import { FrameMemory } from "../memory/frame-memory.js";
import { TeamContext } from "../team/context.js";
import type { Region } from "../team/par.js";
import { serializeError } from "../team/protocol.js";
import type { DoneValue, OsMemberConfig } from "./config.js";
import { describeError, doneJson } from "./wire.js";

interface Prepared {
  readonly fn: Region<unknown, unknown>;
  readonly arg: Record<string, unknown>;
}

/** A member spawned as a domain of its own (mode "domains"). */
export default function main(self: Domain, args: string[]): Promise<number> {
  return member(self, args);
}

/** A member spanned from the master's domain (mode "span"): the same, its frames seen by address. */
export async function member(self: Domain, args: string[]): Promise<number> {
  const cfg = JSON.parse(args[0] ?? "{}") as OsMemberConfig;
  let ctx: TeamContext | undefined;
  let data: FrameMemory | undefined;
  const prepared = new Map<number, Prepared>();
  let finish: ((code: number) => void) | undefined;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });

  const iref = await self.export(Bomp, {
    rpc: {
      async setup(tid, nthreads, control, frame) {
        try {
          if (tid !== cfg.tid) throw new Error(`setup for member ${tid} reached member ${cfg.tid}`);
          ctx = new TeamContext(new FrameMemory(await self.vspace.map(control)), tid, nthreads);
          data = new FrameMemory(await self.vspace.map(frame));
          return { ok: 1, domain: self.id, error: "" };
        } catch (e) {
          return { ok: 0, domain: self.id, error: describeError(e) };
        }
      },
      attach(tid, nthreads, control, controlBytes, frame, dataBytes) {
        try {
          if (tid !== cfg.tid) throw new Error(`attach for member ${tid} reached member ${cfg.tid}`);
          // The domain's one page-table tree: the master's addresses mean the same on this core.
          const c = self.vspace.view(Number(control), controlBytes);
          ctx = new TeamContext(new FrameMemory(c), tid, nthreads);
          data = new FrameMemory(self.vspace.view(Number(frame), dataBytes));
          return { ok: 1, domain: self.id, error: "" };
        } catch (e) {
          return { ok: 0, domain: self.id, error: describeError(e) };
        }
      },
      async prepare(seq, module, name, arg) {
        try {
          const mod = (await import(module)) as Record<string, unknown>;
          const fn = mod[name];
          if (typeof fn !== "function")
            throw new Error(`ENTRY_NOT_FOUND: ${module} exports no function ${name}`);
          prepared.set(seq, {
            fn: fn as Region<unknown, unknown>,
            arg: JSON.parse(arg) as Record<string, unknown>,
          });
          return { ok: 1, error: "" };
        } catch (e) {
          return { ok: 0, error: describeError(e) };
        }
      },
    },
    rx: {
      // `this` is the export's binding to the master (the handler answers on it).
      execute(this: { binding: Bomp }, seq: number) {
        const job = prepared.get(seq);
        prepared.delete(seq);
        let out: DoneValue;
        try {
          if (job === undefined || ctx === undefined || data === undefined)
            throw new Error(`execute ${seq} before setup and prepare`);
          out = { value: job.fn(ctx, { ...job.arg, memory: data }) };
        } catch (e) {
          out = { error: serializeError(e) };
        }
        const [ok, json] = doneJson(out);
        void this.binding.tx.done(seq, cfg.tid, ok, json).catch(() => {});
      },
      finish: (code: number) => finish?.(code),
    },
    onError: (e) => {
      if (e.code !== "PEER_DIED" && e.code !== "CLOSED")
        self.log(`bomp member ${cfg.tid}: ${e.code}: ${e.message}`);
    },
  });
  await self.names.register(`${cfg.tag}.${cfg.tid}`, iref);
  return finished;
}
