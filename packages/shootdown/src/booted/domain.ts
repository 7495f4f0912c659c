/**
 * The shootdown domain (built to dist/src/booted/domain.js; the harness spawns one per booted core).
 * It exports `shootdown.if` under `<tag>.<core>`, binds to every peer's export through the Domain
 * API, and runs a {@link ShootdownCore} over a {@link BindingTransport}. Non-root cores tell the root
 * they are ready and serve rounds until the root says finish; then every core reports on the console.
 */

import { RouteTable, ShootdownCore } from "@shoal/agreement";
import type { Domain } from "@shoal/libshoal";
import { isShootdownError } from "../errors.js";
import { Shootdown } from "../gen/shootdown.js";
import { type BootedConfig, type BootedReport, REPORT_PREFIX, STARTED_PREFIX } from "./config.js";
import { BindingTransport, shootdownRx } from "./transport.js";

export default async function main(self: Domain, args: string[]): Promise<number> {
  const cfg = JSON.parse(args[0] ?? "{}") as BootedConfig;
  const me = cfg.core;
  const transport = new BindingTransport(me);
  const routes = new RouteTable(cfg.protocol, cfg.cores, new Map(cfg.trees));
  // A stand-in TLB: invalidating clears the entries of the range, as the core's MMU would.
  const tlb = new Int32Array(64).fill(1);
  let invalidated = 0;
  const core = new ShootdownCore(
    transport.env(),
    routes,
    {
      invalidate: (range) => {
        for (let p = 0; p < range.pages; p++) tlb[((range.base >>> 12) + p) & 63] = 0;
        invalidated++;
      },
    },
    { timeoutNs: cfg.timeoutMs * 1e6 },
  );
  transport.onReceive((from, msg) => core.node.receive(from, msg));

  const ready = new Set<number>();
  let onReady: (() => void) | undefined;
  let finish: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const peers = cfg.cores.filter((c) => c !== me);
  let deadPeer: number | undefined;
  let onDeath: (() => void) | undefined;
  const peerDied = (c: number) => {
    deadPeer ??= c;
    core.node.peerDied(c);
    onDeath?.();
  };

  const iref = await self.export(Shootdown, {
    rx: shootdownRx(transport, {
      ready: (from) => {
        ready.add(from);
        onReady?.();
      },
      finish: () => finish?.(),
    }),
    // Clients' channels fail when their cores die (the bindings below report that); anything else is news.
    onError: (e) => {
      if (e.code !== "PEER_DIED" && e.code !== "CLOSED")
        self.log(`shootdown export: ${e.code}: ${e.message}`);
    },
  });
  await self.names.register(`${cfg.tag}.${me}`, iref);

  const transports: Record<string, string> = {};
  await Promise.all(
    peers.map(async (c) => {
      const b = await self.bind(
        Shootdown,
        await self.names.lookup(`${cfg.tag}.${c}`, { timeoutMs: 30_000 }),
        {
          // The monitors fail every channel to a core that died: that is how the protocol hears of it.
          onError: (e) => {
            if (e.code === "PEER_DIED") peerDied(c);
          },
        },
      );
      transport.addPeer(c, b);
      transports[c] = b.transport;
    }),
  );

  const report = (extra: Partial<BootedReport>) => {
    const ups = [...transport.stats.upsByRound.values()];
    const r: BootedReport = {
      tag: cfg.tag,
      core: me,
      invalidated,
      ups: ups.filter((n) => n === 1).length,
      duplicateUps: ups.filter((n) => n > 1).length,
      transports,
      ...extra,
    };
    self.log(`${REPORT_PREFIX}${JSON.stringify(r)}`);
  };

  if (me !== cfg.root) {
    const root = transport.peerTx(cfg.root);
    await root?.ready(me);
    await finished;
    report({});
    // Stays up (its export serves the others until the machine halts).
    return new Promise<number>(() => {});
  }

  // The root: every peer bound to everyone, or one of them died first (then the first round fails).
  await new Promise<void>((resolve) => {
    const check = () => {
      if (ready.size >= peers.length || deadPeer !== undefined) resolve();
    };
    onReady = check;
    onDeath = check;
    check();
  });
  self.log(`${STARTED_PREFIX}${cfg.tag}`);
  const latenciesNs: number[] = [];
  let error: BootedReport["error"];
  for (let i = 0; i < cfg.warmup + cfg.ops; i++) {
    const t0 = performance.now();
    try {
      if (cfg.mode === "shootdown") await core.shootdownAsync({ base: 0x4000_0000 + i * 4096, pages: 1 });
      else await core.proposeAsync({ key: `frame:${i}`, action: "retype:Frame", stamp: i + 1, core: me });
    } catch (e) {
      error = isShootdownError(e)
        ? { code: e.code, message: e.message, ...(e.core === undefined ? {} : { core: e.core }) }
        : { code: "BAD_MESSAGE", message: String(e) };
      break;
    }
    if (i >= cfg.warmup) latenciesNs.push((performance.now() - t0) * 1e6);
  }
  for (const c of peers)
    void transport
      .peerTx(c)
      ?.finish(me)
      .catch(() => {});
  report({ latenciesNs, ...(error === undefined ? {} : { error }) });
  return new Promise<number>(() => {});
}
