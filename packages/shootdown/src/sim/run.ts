/**
 * Experiments on the simulator: a {@link ShootdownCore} per core of a route table, wired to a
 * {@link SimMachine}, running shootdowns or two-phase commits one after the other (latency) or many
 * at once (pipelined cost per operation).
 */

import type { AgreementResource, Range, RouteTable, Txn } from "@shoal/agreement";
import { ShootdownCore } from "@shoal/agreement";
import { ShootdownError } from "../errors.js";
import { AMD_8X4_COSTS, type CostModel, type SimTopology, topologyOfBoard } from "./cost-model.js";
import { SimMachine } from "./machine.js";

/** Options of a simulated experiment. */
export interface SimRunOptions {
  readonly model?: CostModel;
  readonly topo?: SimTopology;
  readonly seed?: number;
  /** Operations to run (default 16). */
  readonly ops?: number;
  /** The initiating core (default: the routes' first core). */
  readonly root?: number;
  /** Per-core 2PC state (default: accept everything). */
  readonly resource?: (core: number) => AgreementResource;
  /** Round deadline in ns (default 1 s of simulated time). */
  readonly timeoutNs?: number;
}

/** A wired-up simulated machine. */
export interface SimSetup {
  readonly machine: SimMachine;
  readonly cores: ReadonlyMap<number, ShootdownCore>;
  /** For each core, the ranges it invalidated, in order (for the tests' invariants). */
  readonly invalidated: ReadonlyMap<number, Range[]>;
}

/** Builds a simulated machine with a {@link ShootdownCore} on every core of `routes`. */
export function simSetup(routes: RouteTable, options: SimRunOptions = {}): SimSetup {
  const model = options.model ?? AMD_8X4_COSTS;
  const topo = options.topo ?? topologyOfBoard();
  const machine = new SimMachine(model, topo, { seed: options.seed ?? 1, routes });
  const cores = new Map<number, ShootdownCore>();
  const invalidated = new Map<number, Range[]>();
  for (const c of routes.cores) {
    const log: Range[] = [];
    invalidated.set(c, log);
    const core = new ShootdownCore(
      machine.env(c),
      routes,
      {
        invalidate: (range) => {
          machine.charge(c, model.invalidateCycles + model.invalidatePerPageCycles * range.pages);
          log.push(range);
        },
        ...(options.resource ? { resource: options.resource(c) } : {}),
      },
      options.timeoutNs === undefined ? {} : { timeoutNs: options.timeoutNs },
    );
    cores.set(c, core);
    machine.attach(
      c,
      (from, msg) => core.node.receive(from, msg),
      (dead) => core.node.peerDied(dead),
    );
  }
  return { machine, cores, invalidated };
}

function rootCore(setup: SimSetup, routes: RouteTable, options: SimRunOptions): ShootdownCore {
  const root = options.root ?? routes.cores[0] ?? 0;
  const core = setup.cores.get(root);
  if (core === undefined)
    throw new ShootdownError("BAD_ARGUMENT", `core ${root} is not in the routes`, { core: root });
  return core;
}

/** What a sequence of operations measured. */
export interface SimRunResult {
  /** Each operation's latency at its initiator, in ns of simulated time. */
  readonly latenciesNs: readonly number[];
  /** Their median. */
  readonly medianNs: number;
  /** Errors operations ended with (none on a healthy machine). */
  readonly errors: readonly ShootdownError[];
  readonly setup: SimSetup;
}

/** The median of a list of numbers (NaN for none). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Runs `ops` shootdowns of one page from the root, each started when the previous one completed. */
export function simulateShootdowns(routes: RouteTable, options: SimRunOptions = {}): SimRunResult {
  const setup = simSetup(routes, options);
  const root = rootCore(setup, routes, options);
  const ops = options.ops ?? 16;
  const latencies: number[] = [];
  const errors: ShootdownError[] = [];
  const env = root.node.env;
  const next = (i: number) => {
    if (i >= ops) return;
    const t0 = env.now();
    root.shootdown({ base: 0x4000_0000 + i * 4096, pages: 1 }, (err) => {
      if (err) errors.push(err);
      else latencies.push(env.now() - t0);
      next(i + 1);
    });
  };
  setup.machine.at(0, root.core, () => next(0));
  setup.machine.run();
  return { latenciesNs: latencies, medianNs: median(latencies), errors, setup };
}

/** What a 2PC experiment measured. */
export interface TwoPcResult extends SimRunResult {
  /** Pipelined: total time over the number of operations, in ns. */
  readonly pipelinedNsPerOp: number;
}

/**
 * Two-phase commits from the root on distinct objects: first `ops` one after the other (latency),
 * then `ops` started back to back on a fresh machine (their cost per operation when pipelined).
 */
export function simulateTwoPc(routes: RouteTable, options: SimRunOptions = {}): TwoPcResult {
  const ops = options.ops ?? 16;
  const txn = (i: number, core: number): Txn => ({ key: `ram:${i}`, action: "retype", stamp: i, core });
  const serial = simSetup(routes, options);
  const root = rootCore(serial, routes, options);
  const latencies: number[] = [];
  const errors: ShootdownError[] = [];
  const next = (i: number) => {
    if (i >= ops) return;
    const t0 = root.node.env.now();
    root.propose(txn(i, root.core), (err) => {
      if (err) errors.push(err);
      else latencies.push(root.node.env.now() - t0);
      next(i + 1);
    });
  };
  serial.machine.at(0, root.core, () => next(0));
  serial.machine.run();

  const piped = simSetup(routes, options);
  const proot = rootCore(piped, routes, options);
  let finished = 0;
  let last = 0;
  piped.machine.at(0, proot.core, () => {
    for (let i = 0; i < ops; i++) {
      proot.propose(txn(i, proot.core), (err) => {
        if (err) errors.push(err);
        finished++;
        last = proot.node.env.now();
      });
    }
  });
  piped.machine.run();
  if (finished !== ops) {
    errors.push(new ShootdownError("TIMEOUT", `${ops - finished} pipelined transactions never finished`));
  }
  return {
    latenciesNs: latencies,
    medianNs: median(latencies),
    errors,
    setup: serial,
    pipelinedNsPerOp: last / ops,
  };
}
