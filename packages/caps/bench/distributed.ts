/**
 * The distributed half of the caps benchmark: what the capability protocols cost in messages and
 * rounds (round trips on the critical path) as the number of cores grows, measured on the seeded
 * simulator with a real capability kernel per core. Every core holds a copy of one RAM object and
 * a Frame retyped from it, so each operation has something to do on every core.
 *
 * The goal (issue #12): revoke of a capability copied to N cores in O(N) messages and constant
 * rounds. Messages per remote core and rounds are printed next to the totals so that the shape is
 * visible at a glance; the simulator's own time per operation is printed for scale only.
 */
import type { CapCoordinator } from "../src/capops/coordinator.js";
import { kernelWorld, spreadRoot } from "../src/capops/sim/world.js";
import type { OpId, Slot } from "../src/capops/types.js";

/** What the bench runner passes in (declared here: structural, no dependency on apps/bench). */
export interface SuiteContext {
  quick: boolean;
  log(line: string): void;
}
/** One printed table. */
export interface SuiteTable {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}
/** A suite's result. */
export interface SuiteReport {
  tables: SuiteTable[];
  json: Record<string, unknown>;
}

/** The core counts the issue asks for. */
export const CORE_COUNTS = [2, 4, 8, 16, 32] as const;

/** One operation's measured cost. */
export interface OpCost {
  readonly messages: number;
  readonly rounds: number;
  /** Simulator wall time per operation, microseconds (median of the repetitions). */
  readonly micros: number;
}

type Scenario =
  | "retype_owner"
  | "retype_remote"
  | "revoke_owner"
  | "revoke_remote"
  | "delete_move"
  | "copy_owner"
  | "copy_remote";

const SCENARIOS: readonly Scenario[] = [
  "retype_owner",
  "retype_remote",
  "revoke_owner",
  "revoke_remote",
  "delete_move",
  "copy_owner",
  "copy_remote",
];

/** Sets up `cores` cores sharing the root and one Frame each, runs one operation, returns its cost. */
export function measure(cores: number, scenario: Scenario, seed = 1): OpCost & { ok: boolean } {
  const world = kernelWorld({ cores, seed, rootSize: 4096 * 64 });
  const slots = spreadRoot(
    world,
    Array.from({ length: cores }, (_, c) => c),
  );
  for (let c = 0; c < cores; c++) {
    world.sim.start(c, (k) =>
      k.retype(slots.get(c) ?? -1, { to: "Frame", offset: c * 4096, objectSize: 4096, count: 1 }),
    );
    world.sim.run();
  }
  const last = cores - 1;
  const slot = (c: number): Slot => slots.get(c) ?? -1;
  const begin: Record<Scenario, [number, (k: CapCoordinator) => OpId]> = {
    retype_owner: [
      0,
      (k) => k.retype(slot(0), { to: "Frame", offset: 48 * 4096, objectSize: 4096, count: 1 }),
    ],
    retype_remote: [
      last,
      (k) => k.retype(slot(last), { to: "Frame", offset: 48 * 4096, objectSize: 4096, count: 1 }),
    ],
    revoke_owner: [0, (k) => k.revoke(slot(0))],
    revoke_remote: [last, (k) => k.revoke(slot(last))],
    delete_move: [0, (k) => k.delete(slot(0))],
    copy_owner: [0, (k) => k.copy(slot(0), last)],
    // Between two non-owners (through the owner); with two cores the only other core is the owner.
    copy_remote: [last, (k) => k.copy(slot(last), cores > 2 ? 1 : 0)],
  };
  const [core, run] = begin[scenario];
  const t0 = performance.now();
  const op = world.sim.start(core, run);
  world.sim.run();
  const micros = (performance.now() - t0) * 1000;
  const seen = world.sim.outcomes.get(op);
  return {
    ok: seen?.outcome.ok === true,
    messages: world.sim.messages.get(op) ?? 0,
    rounds: Math.ceil((seen?.hops ?? 0) / 2),
    micros,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** The distributed part of the caps suite. */
export async function distributedReport(ctx: SuiteContext): Promise<SuiteReport> {
  const reps = ctx.quick ? 3 : 15;
  const json: Record<string, unknown> = {};
  const rows: string[][] = [];
  for (const scenario of SCENARIOS) {
    for (const cores of CORE_COUNTS) {
      const runs = Array.from({ length: reps }, (_, i) => measure(cores, scenario, i + 1));
      const first = runs[0] as OpCost & { ok: boolean };
      if (!runs.every((r) => r.ok && r.messages === first.messages && r.rounds === first.rounds)) {
        throw new Error(`${scenario} on ${cores} cores: outcome or cost varies between schedules`);
      }
      const micros = median(runs.map((r) => r.micros));
      rows.push([
        scenario,
        String(cores),
        String(first.messages),
        (first.messages / (cores - 1)).toFixed(2),
        String(first.rounds),
        micros.toFixed(1),
      ]);
      const put = (prefix: string) => {
        json[`${prefix}.${cores}.messages`] = first.messages;
        json[`${prefix}.${cores}.rounds`] = first.rounds;
      };
      if (scenario === "retype_remote") put("distributed.retype");
      if (scenario === "revoke_owner") put("distributed.revoke");
      put(`distributed.${scenario}`);
      json[`distributed.${scenario}.${cores}.sim_us`] = Math.round(micros * 10) / 10;
    }
    ctx.log(`distributed: ${scenario} done`);
  }
  return {
    tables: [
      {
        title: "caps: distributed capability operations (simulated, a real capability kernel per core)",
        columns: ["operation", "cores", "messages", "messages / remote core", "rounds", "sim µs / op"],
        rows,
        notes: [
          "Every core holds a copy of the RAM object and a Frame retyped from it; *_owner runs on the owner, *_remote on another core.",
          "copy_remote goes from one non-owner to another (to the owner when there are only two cores).",
          "rounds = round trips on the critical path (causal depth in messages / 2); identical under every schedule tried.",
          "JSON distributed.retype.<cores>.{messages,rounds} is retype_remote, distributed.revoke.<cores>.* is revoke_owner.",
          `sim µs: simulator wall time for the whole operation, median of ${reps} schedules; for scale only.`,
        ],
      },
    ],
    json,
  };
}
