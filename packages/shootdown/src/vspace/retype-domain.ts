/**
 * The end-to-end retype benchmark's domain (run on booted cores by `runRetypeBench`): its main on
 * core 0 spawns a holder on every other core, allocates a Frame of one page per operation and sends it
 * to every holder (a binding message carries the cap: every core then holds a copy), then times
 * `caps.retype` of one page after another from libshoal: each is a two-phase commit between the
 * monitors of every core (the cap has remote copies). Then it times `pipelined` retypes of as many
 * distinct shared Frames issued at once (distinct objects: their transactions are in flight together),
 * per operation. Built to dist/src/vspace/retype-domain.js: cores load built JavaScript.
 *
 * args: [ops, warmup] (main) or ["holder", name]. Writes one `RETYPE {json}` console line.
 */
import type { Cap, Domain } from "@shoal/libshoal";
import { TestRpcCap } from "@shoal/libshoal/interfaces/test_rpc_cap";

/** The console line this domain ends with: the prefix, then the JSON of {@link RetypeReport}. */
export const RETYPE_PREFIX = "RETYPE ";

/** What the domain reports. */
export interface RetypeReport {
  /** One retype with remote relations, from the call to its return (ns each). */
  readonly retypeNs: readonly number[];
  /** Per-operation cost of `ops` retypes of distinct shared objects issued at once (ns). */
  readonly pipelinedNs: number;
  readonly error?: string;
}

interface Holder {
  readonly rpc: {
    send_cap_one(cap: Cap): Promise<{ error_code: number }>;
  };
}

export default async function main(self: Domain, args: string[]): Promise<number> {
  if (args[0] === "holder") return holder(self, args[1] ?? "retype-holder");
  const ops = Number(args[0] ?? 50);
  const warmup = Number(args[1] ?? 5);
  const holders: Holder[] = [];
  for (let c = 1; c < self.cores; c++) {
    const name = `retype-bench-${c}`;
    await self.spawn(new URL(import.meta.url), { core: c, args: ["holder", name] });
    const iref = await self.names.lookup(name);
    holders.push((await self.bind(TestRpcCap, iref)) as unknown as Holder);
  }
  const share = async (cap: Cap) => {
    for (const h of holders) await h.rpc.send_cap_one(cap);
  };
  const retypeNs: number[] = [];
  let pipelinedNs = Number.NaN;
  let error: string | undefined;
  try {
    const frame = await self.frames.alloc(4096 * (ops + warmup));
    await share(frame);
    for (let i = 0; i < ops + warmup; i++) {
      const t0 = performance.now();
      await self.caps.retype(frame, "Frame", { bytes: 4096, offset: i * 4096 });
      const t1 = performance.now();
      if (i >= warmup) retypeNs.push((t1 - t0) * 1e6);
    }
    const frames: Cap[] = [];
    for (let i = 0; i < ops; i++) {
      const f = await self.frames.alloc(8192);
      await share(f);
      frames.push(f);
    }
    const t0 = performance.now();
    await Promise.all(frames.map((f) => self.caps.retype(f, "Frame", { bytes: 4096 })));
    pipelinedNs = ((performance.now() - t0) * 1e6) / ops;
  } catch (e) {
    error = e instanceof Error ? `${(e as { code?: string }).code ?? e.name}: ${e.message}` : String(e);
  }
  const report: RetypeReport = { retypeNs, pipelinedNs, ...(error === undefined ? {} : { error }) };
  self.log(`${RETYPE_PREFIX}${JSON.stringify(report)}`);
  return 0;
}

/** A holder: takes every cap it is sent and keeps it (a copy on its core) until the machine halts. */
async function holder(self: Domain, name: string): Promise<number> {
  const kept: Cap[] = [];
  const iref = await self.export(TestRpcCap, {
    rpc: {
      async send_cap_one(cap: Cap) {
        kept.push(cap);
        return { error_code: 0 };
      },
      async echo(arg: number) {
        return { arg_out: arg };
      },
    },
  } as never);
  await self.names.register(name, iref);
  return new Promise<number>(() => {});
}
