/**
 * scripts/tap-netns.sh itself: `up` twice is one setup, `down` twice is harmless, and nothing (namespace,
 * socat, TAP) is left behind. Skipped with the reason printed where the machine cannot do it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { linuxPeerUnavailable } from "./netns.js";

const SCRIPT = fileURLToPath(new URL("../../scripts/tap-netns.sh", import.meta.url));
const unavailable = linuxPeerUnavailable();
if (unavailable !== undefined) console.warn(`[net] tap-netns.sh tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)("tap-netns.sh", () => {
  const id = `ts${process.pid % 100_000}`;
  const env = {
    ...process.env,
    SHOAL_NETNS: `shoal-${id}`,
    SHOAL_TAP: `sh${id}`,
    SHOAL_RUN_DIR: `/tmp/shoal-net-${id}`,
    SHOAL_STACK_PORT: "0",
    SHOAL_SOCAT_PORT: "0",
  };
  const sh = (cmd: string) => {
    try {
      return {
        code: 0,
        out: execFileSync(SCRIPT, [cmd], {
          env,
          timeout: 30_000,
          stdio: ["ignore", "pipe", "pipe"],
        }).toString(),
      };
    } catch (e) {
      return {
        code: (e as { status?: number }).status ?? -1,
        out: String((e as { stderr?: Buffer }).stderr ?? ""),
      };
    }
  };
  const namespaces = () => execFileSync("ip", ["netns", "list"]).toString();
  const pidFile = `${env.SHOAL_RUN_DIR}/${env.SHOAL_NETNS}.socat.pid`;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it("is idempotent and cleans up after itself", () => {
    try {
      expect(sh("status").code).toBe(1);
      expect(sh("up").code).toBe(0);
      const pid = Number(readFileSync(pidFile, "utf8"));
      expect(alive(pid)).toBe(true);
      const again = sh("up");
      expect(again.out).toMatch(/already up/);
      expect(Number(readFileSync(pidFile, "utf8"))).toBe(pid);
      expect(sh("status").code).toBe(0);
      const addr = execFileSync("ip", ["-n", env.SHOAL_NETNS, "addr", "show", env.SHOAL_TAP]).toString();
      expect(addr).toMatch(/inet 10\.77\.0\.1\/24/);
      // The TAP lives only in the namespace, not in the root one.
      expect(() => execFileSync("ip", ["link", "show", env.SHOAL_TAP], { stdio: "ignore" })).toThrow();
      expect(sh("down").code).toBe(0);
      expect(alive(pid)).toBe(false);
      expect(sh("down").code).toBe(0);
      expect(sh("status").code).toBe(1);
      expect(namespaces()).not.toContain(env.SHOAL_NETNS);
      expect(existsSync(pidFile)).toBe(false);
      expect(existsSync(env.SHOAL_RUN_DIR)).toBe(false);
    } finally {
      sh("down");
    }
  });

  it("rejects unknown commands with a usage line", () => {
    const r = sh("sideways");
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/usage: .* up\|down\|status\|check/);
  });
});
