/**
 * @shoal/threads/os: the team runtime on shoal's OS (docs/threads.md, "On the OS"): a master domain
 * and member domains on booted cores, sharing frames mapped through each core's MMU, talking over
 * bomp.if bindings. Separate from the package's main entry, which must stay free of the OS for the
 * plain-worker members.
 */
export type { OsJob, OsTeamConfig, OsTeamMode, OsTeamReport } from "./config.js";
export { type OsRunOptions, type OsRunResult, runOnOs } from "./run-os.js";
export { spanExecutor } from "./span-executor.js";
