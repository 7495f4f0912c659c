/**
 * The wires between the machine (main thread: the hardware) and a core: what a serial console, a
 * power/reset line and an interrupt line would carry. Everything between cores goes over the intermon
 * mesh in physical memory instead; these messages never carry OS state between cores.
 */
import type { ProtocolName, RouteTree } from "@shoal/agreement";
import type { Endpoint } from "@shoal/runtime";
import type { BootLayout } from "../layout.js";
import type { AllRoutes } from "../skb/all-routes.js";
import type { ShootdownBoot } from "../vspace/routes.js";

/** What a core is handed when it is powered on. */
export interface CoreBoot {
  readonly core: number;
  readonly layout: BootLayout;
  readonly memory: SharedArrayBuffer;
  /** The runtime's spinning census, shared by every core. */
  readonly census: SharedArrayBuffer;
  /** This core's end of its mesh channel to every other core (null at its own index). */
  readonly mesh: readonly (Endpoint | null)[];
  /** The longest turn a dispatcher may take before it is reported. */
  readonly sliceMs: number;
  /** The shootdown protocol and its routes (vspace/routes.ts; absent: the defaults). */
  readonly shootdown?: ShootdownBoot;
  /** The SKB boots with the system: the monitor asks it for its routes as soon as it is up. */
  readonly skb?: boolean;
}

/** Requests the machine (or the shell, through it) makes of a core's monitor. */
export type CoreRequest =
  | { readonly op: "spawn"; readonly path: string; readonly args: readonly string[]; readonly core: number }
  | { readonly op: "ps" }
  | { readonly op: "kill"; readonly id: number }
  | { readonly op: "mem" }
  | { readonly op: "caps"; readonly id: number }
  | { readonly op: "ping"; readonly core: number; readonly count: number }
  | { readonly op: "halt" }
  // The SKB at boot (monitor/src/skb/): a compiled WebAssembly.Module for the core's domains, and the
  // monitor's routes from the SKB.
  | { readonly op: "preload"; readonly name: string; readonly module: object }
  | { readonly op: "routes" }
  // The SKB's trees for the shootdown (skb/all-routes.ts, vspace/skb-routes.ts): core 0 asks for every
  // root's, the machine installs them at every core, then has every core use them; and what a core uses.
  | { readonly op: "all-routes" }
  | { readonly op: "shootdown-install"; readonly routes: AllRoutes }
  | { readonly op: "shootdown-use" }
  | { readonly op: "shootdown-trees" }
  | { readonly op: "shootdown-stats" };

/** What `shootdown-trees` answers: the route source new shootdown rounds of a core use. */
export interface ShootdownTrees {
  readonly protocol: ProtocolName;
  readonly origin: "boot" | "default" | "skb";
  /** The tree of every source core over the whole machine (index i: core i's). */
  readonly trees: readonly RouteTree[];
}

/** Machine to core. */
export type ToCore =
  | { readonly t: "req"; readonly id: number; readonly req: CoreRequest }
  /** The interrupt line: core `core` is gone (its worker exited). */
  | { readonly t: "core-died"; readonly core: number };

/** One row of `ps`. */
export interface PsRow {
  readonly id: number;
  readonly name: string;
  readonly core: number;
  readonly state: string;
  readonly cpuMs: number;
  readonly turns: number;
  readonly messages: number;
  readonly overruns: number;
  readonly exitCode: number | null;
}

/** Core to machine. */
export type FromCore =
  | { readonly t: "ready"; readonly core: number; readonly ms: number }
  | { readonly t: "reply"; readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly t: "reply";
      readonly id: number;
      readonly ok: false;
      readonly code: string;
      readonly message: string;
    }
  | { readonly t: "console"; readonly line: string }
  /** A domain the machine spawned (no parent domain) exited. */
  | { readonly t: "exited"; readonly domid: number; readonly code: number; readonly reason: string };

/** One core's RAM, for `mem`. */
export interface MemRow {
  readonly core: number;
  readonly bytes: number;
  readonly used: number;
  /** Used bytes by type of the capabilities retyped from the core's RAM. */
  readonly byType: Readonly<Record<string, number>>;
}

/** The exit code of a killed domain (as a shell reports SIGKILL). */
export const KILLED_EXIT_CODE = 137;
