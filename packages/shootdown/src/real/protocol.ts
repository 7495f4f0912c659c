/** What the main thread and the real cores tell each other (structured-clone data). */
import type { ProtocolName, RouteTree } from "@shoal/agreement";
import type { MeshLayout } from "./layout.js";

/** A core's start-up data. */
export interface RealWorkerData {
  readonly memory: SharedArrayBuffer;
  readonly layout: MeshLayout;
  readonly core: number;
  readonly root: number;
  readonly cores: readonly number[];
  readonly protocol: ProtocolName;
  readonly trees: readonly (readonly [number, RouteTree])[];
  readonly ops: number;
  readonly warmup: number;
  readonly timeoutMs: number;
}

/** A core's report when it leaves its loop. */
export interface RealCoreReport {
  core: number;
  invalidated: number;
  latenciesNs: number[];
  error: { code: string; message: string; core: number | undefined } | undefined;
}
