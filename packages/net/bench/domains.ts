/**
 * IP loopback between domains (Table 4's shoal side): a booted two-core machine, examples/net-loopback's
 * UDP sink with its own stack on core 1 and the source with its own stack on core 0, their devices
 * joined over net_frames (urpc across cores). The source prints a RESULT line this module reads back.
 * The TCP bulk row is the same shape with examples/net-tcp-bulk (TCP source and sink, SHA-256 checked).
 */

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";

/** One run of the cross-domain loopback. */
export interface DomainThroughput {
  readonly mbitPerS: number;
  readonly sent: number;
  readonly received: number;
  readonly seconds: number;
  readonly transport: string;
  /** Frames per message the source's device sent (batching across the channel). */
  readonly framesPerMessage: number;
}

/** The repository's examples/ folder, found from here (bench/ in the sources or dist/bench/ built). */
function examplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "examples", "net-loopback");
    if (existsSync(candidate)) return join(dir, "examples");
    dir = dirname(dir);
  }
  throw new Error("bench: examples/net-loopback not found above packages/net");
}

/**
 * A link layout, "LINES:BATCH" (the binding's ring lines per direction, bytes per net_frames message);
 * empty for examples/net-common's default.
 */
export type LinkLayout = string;
/** The layout before bindings could size their rings: 32 lines, one full frame per message. */
export const LEGACY_LINK: LinkLayout = "32:1516";

/** Boot two cores, run sink and source with `count` datagrams of `size` bytes, halt. */
export async function loopbackDomains(
  count: number,
  size = 1000,
  link: LinkLayout = "",
): Promise<DomainThroughput> {
  const lines: string[] = [];
  const machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => lines.push(l) });
  try {
    const dir = examplesDir();
    await machine.spawn(join(dir, "net-loopback", "sink.mjs"), { core: 1, args: ["bench-loopback", link] });
    const source = await machine.spawn(join(dir, "net-loopback", "source.mjs"), {
      core: 0,
      args: ["bench-loopback", String(count), String(size), link],
    });
    const code = await source.exited;
    const line = lines.find((l) => l.includes("RESULT "));
    if (code !== 0 || line === undefined)
      throw new Error(`loopback source failed (${code}):\n${lines.join("\n")}`);
    const r = JSON.parse(line.slice(line.indexOf("RESULT ") + 7)) as {
      mbitPerS: number;
      sent: number;
      received: number;
      seconds: number;
      transport: string;
      device: { txFrames: number; txBatches: number };
    };
    return {
      mbitPerS: r.mbitPerS,
      sent: r.sent,
      received: r.received,
      seconds: r.seconds,
      transport: r.transport,
      framesPerMessage: r.device.txFrames / Math.max(1, r.device.txBatches),
    };
  } finally {
    await machine.halt();
  }
}

/** One run of TCP bulk between domains. */
export interface DomainTcpThroughput {
  readonly mbitPerS: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly intact: boolean;
  readonly transport: string;
  /** Frames per message the source's device sent. */
  readonly framesPerMessage: number;
  /** Transmits the source's device refused for want of channel room. */
  readonly txFull: number;
}

/** Boot two cores, move `bytes` over TCP from a source on core 0 to a sink on core 1, halt. */
export async function tcpBulkDomains(bytes: number, link: LinkLayout = ""): Promise<DomainTcpThroughput> {
  const lines: string[] = [];
  const machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => lines.push(l) });
  try {
    const dir = examplesDir();
    await machine.spawn(join(dir, "net-tcp-bulk", "sink.mjs"), { core: 1, args: ["bench-tcp-bulk", link] });
    const source = await machine.spawn(join(dir, "net-tcp-bulk", "source.mjs"), {
      core: 0,
      args: ["bench-tcp-bulk", String(bytes / 2 ** 20), link],
    });
    const code = await source.exited;
    const line = lines.find((l) => l.includes("RESULT "));
    if (code !== 0 || line === undefined)
      throw new Error(`tcp bulk source failed (${code}):\n${lines.join("\n")}`);
    const r = JSON.parse(line.slice(line.indexOf("RESULT ") + 7)) as {
      mbitPerS: number;
      received: number;
      seconds: number;
      intact: boolean;
      transport: string;
      device: { txFrames: number; txBatches: number; txFull: number };
    };
    return {
      mbitPerS: r.mbitPerS,
      bytes: r.received,
      seconds: r.seconds,
      intact: r.intact,
      transport: r.transport,
      framesPerMessage: r.device.txFrames / Math.max(1, r.device.txBatches),
      txFull: r.device.txFull,
    };
  } finally {
    await machine.halt();
  }
}
