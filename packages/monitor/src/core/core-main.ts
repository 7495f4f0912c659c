/**
 * The entry of a core's worker thread: what runs when the machine powers a core on. It puts the core's
 * doorbell where the machine's memory map says, joins the spinning census, starts the CPU driver and the
 * monitor (which opens its end of the mesh to every other core), and then serves the machine's console
 * requests. This module is built JavaScript (workers get no loader hooks).
 */
import { parentPort, workerData } from "node:worker_threads";
import { CpuDriver } from "@shoal/cpu-driver";
import { doorbellAt, joinCensus, useCapTransport, useDoorbell } from "@shoal/runtime";
import { coreRam, doorbellOffset } from "../layout.js";
import type {
  CoreBoot,
  CoreRequest,
  FromCore,
  MemRow,
  PsRow,
  ShootdownTrees,
  ToCore,
} from "../machine/protocol.js";
import { Monitor } from "./monitor.js";

const t0 = performance.now();
const boot = workerData as CoreBoot;
const port = parentPort;
if (port === null) throw new Error("core-main runs as a worker thread of the machine");
const post = (m: FromCore): void => port.postMessage(m);

useDoorbell(doorbellAt(boot.memory, doorbellOffset(boot.core)));
joinCensus(boot.census);

const monitor: Monitor = new Monitor(
  new CpuDriver(
    { core: boot.core, cores: boot.layout.cores, memory: boot.memory, ram: coreRam(boot.layout, boot.core) },
    {
      overrun: (dcb, ms, kind) =>
        monitor.log(`${dcb.name}#${dcb.id} overran its slice: a ${kind} upcall took ${ms.toFixed(1)} ms`),
      fault: (dcb, error, kind) =>
        monitor.log(
          `${dcb.name}#${dcb.id} faulted in a ${kind} upcall and was stopped: ${error instanceof Error ? error.message : String(error)}`,
        ),
    },
    boot.sliceMs,
  ),
  boot,
  (line) => post({ t: "console", line }),
);
// Caps in messages go through this core's kernel (checked at the sender, imported at the receiver).
useCapTransport(monitor.cpu.capTransport());
monitor.domains.onMachineChildExit = (domid, code, reason) => post({ t: "exited", domid, code, reason });

async function serve(req: CoreRequest): Promise<unknown> {
  switch (req.op) {
    case "spawn":
      return monitor.domains.spawn(req.path, req.args, 0, monitor.core);
    case "ps": {
      // Every core's dispatchers, gathered over the mesh (dead cores are left out).
      const rows: PsRow[] = [...monitor.ps()];
      const others = await Promise.all(
        monitor.liveOthers().map((k) =>
          monitor
            .peer(k)
            .rpc.ps(0, { timeoutMs: 5_000 })
            .then(
              (r) => JSON.parse(r.json) as PsRow[],
              () => [] as PsRow[],
            ),
        ),
      );
      for (const o of others) rows.push(...o);
      return rows.sort((a, b) => a.id - b.id);
    }
    case "ping": {
      if (req.core === monitor.core) throw new Error("ping: that is this core");
      const p = monitor.peer(req.core);
      const samples: number[] = [];
      for (let i = 0; i < req.count; i++) {
        const s = performance.now();
        await p.rpc.ping(BigInt(i), { timeoutMs: 5_000 });
        samples.push((performance.now() - s) * 1000);
      }
      samples.sort((a, b) => a - b);
      return { medianUs: samples[samples.length >> 1] ?? 0, minUs: samples[0] ?? 0, count: samples.length };
    }
    case "halt":
      return monitor.domains.stopAll();
    case "kill":
      return monitor.domains.kill(req.id);
    case "mem":
      return {
        core: monitor.core,
        bytes: monitor.cpu.ram.bytes,
        used: monitor.cpu.ram.used,
        byType: monitor.cpu.ram.usedByType(),
      } satisfies MemRow;
    // What only the SKB's boot and the shell ask for loads when asked (core/lazy-part.ts says why).
    case "preload":
      (await import("../skb/preload.js")).preload(req.name, req.module);
      return true;
    case "routes":
      return monitor.routes();
    case "all-routes":
      return (await import("../skb/all-routes.js")).fetchAllRoutes(monitor, monitor.boot.layout.cores);
    case "shootdown-install": {
      const [sd, { SKB_ROUTES_TAG, skbRouteSource }] = await Promise.all([
        monitor.shootdown.get(),
        import("../vspace/skb-routes.js"),
      ]);
      sd.install(SKB_ROUTES_TAG, skbRouteSource(sd.source.protocol, req.routes));
      return true;
    }
    case "shootdown-use": {
      const [sd, { SKB_ROUTES_TAG }] = await Promise.all([
        monitor.shootdown.get(),
        import("../vspace/skb-routes.js"),
      ]);
      // Quiet: the boot reports the switch once for every core (a line per core is noise at 64).
      sd.use(SKB_ROUTES_TAG);
      return true;
    }
    case "shootdown-stats":
      return { ...(await monitor.shootdown.get()).stats };
    case "shootdown-trees": {
      const s = (await monitor.shootdown.get()).source;
      return { protocol: s.protocol, origin: s.origin, trees: s.trees } satisfies ShootdownTrees;
    }
    case "caps": {
      const core = Math.floor(req.id / 2 ** 20);
      if (core !== monitor.core) throw new Error(`domain ${req.id} is not on core ${monitor.core}`);
      if (!monitor.cpu.hasSyscalls(req.id)) throw new Error(`no running domain ${req.id} on core ${core}`);
      return monitor.cpu.syscalls(req.id).list();
    }
  }
}

port.on("message", (m: ToCore) => {
  if (m.t === "core-died") {
    monitor.coreDied(m.core);
    return;
  }
  serve(m.req).then(
    (value) => post({ t: "reply", id: m.id, ok: true, value }),
    (e: unknown) =>
      post({
        t: "reply",
        id: m.id,
        ok: false,
        code: e instanceof Error && "code" in e ? String(e.code) : "FAILED",
        message: e instanceof Error ? e.message : String(e),
      }),
  );
});

// With the SKB booting, ask it for this core's routes as soon as it serves (a failure is kept for
// whoever asks monitor.routes(), and retried then).
if (boot.skb === true) monitor.routes().catch(() => undefined);

post({ t: "ready", core: boot.core, ms: performance.now() - t0 });
