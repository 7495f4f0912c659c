/**
 * The kernel suite's measuring domain. args: MODE TAG NAME COUNT [WARM_MS]. Modes: `oneway` (ping-pong round trips
 * halved), `pipelined` (msgs/s with a window), `bind` (COUNT binds to NAME, each closed), `spawn` (COUNT
 * spawns of an empty domain on core NAME, each waited for), `invoke` (COUNT capability invocations). Reports one console line
 * `BENCH {"tag": TAG, ...}`, which the suite reads.
 */
import type { Domain } from "@shoal/libshoal";
import { PingPong } from "@shoal/libshoal/interfaces/ping_pong";
import { median, oneWayNs, PongSink, pipelinedPerS, WINDOW, warmUp } from "../loops.js";

export default async function main(self: Domain, args: string[]): Promise<number> {
  const [mode, tag, name = "kb", countArg = "1000"] = args;
  const count = Number(countArg);
  const report = (fields: Record<string, unknown>): void =>
    self.log(`BENCH ${JSON.stringify({ tag, ...fields })}`);
  if (mode === "oneway" || mode === "pipelined") {
    const sink = new PongSink();
    const pp = await self.bind(PingPong, await self.names.lookup(name), {
      rx: { pong: (v: bigint) => sink.pong(v) },
    });
    const warmMs = Number(args[4] ?? 400);
    if (mode === "oneway") {
      await warmUp(() => oneWayNs(pp, sink, 1_000), warmMs);
      report({ transport: pp.transport, oneway_ns: await oneWayNs(pp, sink, count) });
    } else {
      await warmUp(() => pipelinedPerS(pp, sink, 2_000, WINDOW), warmMs);
      report({ transport: pp.transport, msgs_per_s: await pipelinedPerS(pp, sink, count, WINDOW) });
    }
    await pp.close();
    return 0;
  }
  if (mode === "bind") {
    const iref = await self.names.lookup(name);
    const ms: number[] = [];
    for (let i = 0; i < count + 1; i++) {
      const t0 = performance.now();
      const pp = await self.bind(PingPong, iref);
      ms.push(performance.now() - t0);
      await pp.close();
    }
    report({ bind_ms: median(ms.slice(1)) });
    return 0;
  }
  if (mode === "spawn") {
    const core = Number(name);
    const started: number[] = [];
    const exited: number[] = [];
    for (let i = 0; i < count + 1; i++) {
      const t0 = performance.now();
      const child = await self.spawn(new URL("./kb-empty.js", import.meta.url), { core });
      started.push(performance.now() - t0);
      await child.exited;
      exited.push(performance.now() - t0);
    }
    report({ spawn_ms: median(started.slice(1)), spawn_exit_ms: median(exited.slice(1)) });
    return 0;
  }
  if (mode === "invoke") {
    // A capability invocation through the CPU driver's system-call surface: identify on a Frame cap
    // (the driver checks the reference was issued to this domain, looks the CTE up, reads it).
    const frame = await self.frames.alloc(4096);
    let sink = 0;
    await warmUp(
      async () => {
        for (let i = 0; i < 10_000; i++) sink += self.caps.identify(frame).size;
      },
      Number(args[4] ?? 400),
    );
    const t0 = performance.now();
    for (let i = 0; i < count; i++) sink += self.caps.identify(frame).size;
    const ns = ((performance.now() - t0) * 1e6) / count;
    if (sink === 0) throw new Error("identify reported empty frames");
    report({ invoke_ns: ns });
    return 0;
  }
  throw new Error(`kb-client: unknown mode ${String(mode)}`);
}
