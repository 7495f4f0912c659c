/**
 * The Linux peer for tests: a network namespace with a TAP bridged by socat to a UdpTunnelDevice, set up
 * and torn down by `scripts/tap-netns.sh`. Each test file gets its own namespace, TAP name and ports, and
 * an exit hook tears it down even if the run is interrupted.
 */
import { execFile, execFileSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { fileURLToPath } from "node:url";
import { UdpTunnelDevice } from "../../src/phy/udp-tunnel.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/tap-netns.sh", import.meta.url));

/** Why the Linux-peer tests cannot run here, or undefined when they can. */
export function linuxPeerUnavailable(): string | undefined {
  if (process.platform !== "linux") return `not Linux (${process.platform})`;
  for (const tool of ["ping", "nc"]) {
    try {
      execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
    } catch {
      return `${tool} is not installed (apt-get install iputils-ping netcat-openbsd)`;
    }
  }
  try {
    execFileSync(SCRIPT, ["check"], { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
    return undefined;
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr !== undefined && stderr !== "" ? stderr : String(e);
  }
}

/** A free UDP port on 127.0.0.1 (bound and released: a small race, fine on a test machine). */
async function freeUdpPort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((resolve) => s.bind(0, "127.0.0.1", resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A namespace with Linux at 10.77.0.1/24 and the device the stack (10.77.0.2) uses. */
export interface LinuxPeer {
  readonly netns: string;
  readonly device: UdpTunnelDevice;
  /** Run a command inside the namespace; resolves with its output, whatever the exit code. */
  run(argv: string[], options?: { input?: string; timeoutMs?: number }): Promise<RunResult>;
  down(): void;
}

/** Output of a command run in the namespace. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A namespace whose stack end is left to someone else (a driver domain opens `stackPort` itself). */
export interface LinuxPeerPorts {
  readonly netns: string;
  /** The UDP port socat listens on (the stack's device sends frames there). */
  readonly socatPort: number;
  /** The UDP port socat sends frames to (the stack's device must bind it). */
  readonly stackPort: number;
  run(argv: string[], options?: { input?: string; timeoutMs?: number }): Promise<RunResult>;
  down(): void;
}

/** Bring a namespace up (bounded by the script's own timeouts). */
export async function linuxPeerUp(tag: string): Promise<LinuxPeer> {
  const socatPort = await freeUdpPort();
  const device = await UdpTunnelDevice.open({ localPort: 0, remotePort: socatPort });
  const ports = bringUp(tag, socatPort, device.port, () => device.close());
  return { netns: ports.netns, device, run: ports.run, down: ports.down };
}

/** Bring a namespace up for a stack that another thread opens on the returned `stackPort`. */
export async function linuxPeerPorts(tag: string): Promise<LinuxPeerPorts> {
  return bringUp(tag, await freeUdpPort(), await freeUdpPort(), () => {});
}

function bringUp(tag: string, socatPort: number, stackPort: number, release: () => void): LinuxPeerPorts {
  const id = `${tag}${process.pid % 100_000}`;
  const netns = `shoal-${id}`;
  const env = { ...process.env, SHOAL_NETNS: netns, SHOAL_TAP: `sh${id}`.slice(0, 15) };
  Object.assign(env, { SHOAL_STACK_PORT: String(stackPort), SHOAL_SOCAT_PORT: String(socatPort) });
  let isDown = false;
  const down = () => {
    if (isDown) return;
    isDown = true;
    process.off("exit", down);
    release();
    execFileSync(SCRIPT, ["down"], { env, stdio: "ignore", timeout: 15_000 });
  };
  process.on("exit", down);
  try {
    execFileSync(SCRIPT, ["up"], { env, stdio: ["ignore", "ignore", "pipe"], timeout: 20_000 });
  } catch (e) {
    down();
    throw e;
  }
  const run = (argv: string[], options: { input?: string; timeoutMs?: number } = {}) =>
    new Promise<RunResult>((resolve) => {
      const child = execFile(
        "ip",
        ["netns", "exec", netns, ...argv],
        { timeout: options.timeoutMs ?? 15_000, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err === null ? 0 : typeof err.code === "number" ? err.code : null;
          resolve({ code, stdout, stderr });
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
      else child.stdin?.end();
    });
  return { netns, socatPort, stackPort, run, down };
}
