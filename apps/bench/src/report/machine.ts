/** The machine a run happened on, recorded beside every result (numbers mean nothing without it). */
import * as os from "node:os";

/** What the JSON's `machine` object holds. */
export interface MachineInfo {
  readonly cpu_model: string;
  /** Logical cores Node can see. */
  readonly cores: number;
  readonly node: string;
  readonly v8: string;
  /** `os.type() os.release() os.arch()`. */
  readonly os: string;
  readonly total_memory_gb: number;
  /** 1-minute load average when the run started (anything near the core count means a noisy run). */
  readonly load_avg_1m: number;
  /** ISO-8601 UTC time the run started. */
  readonly date: string;
}

/** Reads the current machine's description. */
export function machineInfo(now: Date = new Date()): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu_model: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    total_memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    load_avg_1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
    date: now.toISOString(),
  };
}

/** One line for the table header: `AMD EPYC, 2 cores, Node v20.20.0, Linux 6.8 x64, 2026-11-27T...`. */
export function describeMachine(m: MachineInfo): string {
  return `${m.cpu_model}, ${m.cores} cores, ${m.total_memory_gb} GB, Node ${m.node} (V8 ${m.v8}), ${m.os}, load ${m.load_avg_1m}, ${m.date}`;
}
