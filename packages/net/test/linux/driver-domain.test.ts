/**
 * The NIC driver domain with Linux as the peer: a booted two-core machine runs examples/net-driver's
 * driver domain on core 0 (owning the TAP bridge), and on core 1 examples/net-http's server (own stack
 * at 10.77.0.2, SQL pages from examples/net-sql's SQLite domain) and a UDP echo (10.77.0.3); Linux's
 * ping, curl and nc reach those stacks through the driver over urpc. Skipped,
 * with the reason printed, where TAP devices are not allowed; SHOAL_REQUIRE_LINUX_PEER=1 makes it run.
 */
import { fileURLToPath } from "node:url";
import { Machine } from "@shoal/monitor";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LinuxPeerPorts, linuxPeerPorts, linuxPeerUnavailable } from "./netns.js";

const unavailable = linuxPeerUnavailable();
if (unavailable !== undefined) console.warn(`[net] driver-domain tests skipped: ${unavailable}`);
const example = (p: string) => fileURLToPath(new URL(`../../../../examples/${p}`, import.meta.url));

describe("driver domain where required", () => {
  it("runs when SHOAL_REQUIRE_LINUX_PEER=1", () => {
    if (process.env.SHOAL_REQUIRE_LINUX_PEER === "1") expect(unavailable).toBeUndefined();
  });
});

describe.skipIf(unavailable !== undefined)(
  "Linux reaches a stack on core 1 through the driver on core 0",
  () => {
    let peer: LinuxPeerPorts;
    let machine: Machine;
    const log: string[] = [];

    const logged = async (pattern: RegExp, ms: number) => {
      const until = Date.now() + ms;
      while (!log.some((l) => pattern.test(l))) {
        if (Date.now() > until) throw new Error(`no log line ${pattern} within ${ms} ms:\n${log.join("\n")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    beforeAll(async () => {
      peer = await linuxPeerPorts("dd");
      machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => log.push(l) });
      await machine.spawn(example("net-driver/driver.mjs"), {
        core: 0,
        args: [String(peer.socatPort), String(peer.stackPort)],
      });
      await logged(/driver: wire port/, 20_000);
      await machine.spawn(example("net-sql/db.mjs"), { core: 1, args: ["net-sql"] });
      await machine.spawn(example("net-http/server.mjs"), {
        core: 1,
        args: ["net-driver", "10.77.0.2", "02:00:00:77:00:02", "80", "net-sql"],
      });
      await machine.spawn(example("net-udp-echo/echo.mjs"), {
        core: 1,
        args: ["net-driver", "10.77.0.3", "02:00:00:77:00:03", "7"],
      });
      await logged(/http: serving on 10\.77\.0\.2:80 \(core 1/, 30_000);
      await logged(/udp-echo: 10\.77\.0\.3:7 on core 1/, 30_000);
      await logged(/driver: stack 020000770002 attached/, 20_000);
    }, 60_000);

    afterAll(async () => {
      await machine?.halt();
      peer?.down();
    });

    it("Linux ping gets replies from the stack on core 1", async () => {
      const r = await peer.run(["ping", "-c", "3", "-i", "0.2", "-W", "5", "10.77.0.2"], {
        timeoutMs: 30_000,
      });
      expect(r.stdout).toMatch(/3 received/);
    }, 40_000);

    it("curl fetches the 4.1 kB page from the HTTP server on core 1", async () => {
      const r = await peer.run(
        [
          "curl",
          "-s",
          "-S",
          "--max-time",
          "20",
          "-w",
          "\\n%{http_code} %{size_download}",
          "http://10.77.0.2/",
        ],
        {
          timeoutMs: 30_000,
        },
      );
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/<h1>shoal<\/h1>/);
      expect(r.stdout.trim().split("\n").at(-1)).toBe("200 4100");
    }, 40_000);

    it("curl gets a SQL page whose rows come from the SQLite domain", async () => {
      const r = await peer.run(["curl", "-s", "-S", "--max-time", "20", "http://10.77.0.2/sql/item?id=42"], {
        timeoutMs: 30_000,
      });
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/<th>i_id<\/th>/);
      expect(r.stdout).toMatch(/<td>42<\/td>/);
    }, 40_000);

    it("a UDP echo server on a second attached stack answers Linux nc", async () => {
      const r = await peer.run(["sh", "-c", "echo shoal-echo | nc -u -w 2 10.77.0.3 7"], {
        timeoutMs: 30_000,
      });
      expect(r.stdout).toMatch(/shoal-echo/);
    }, 40_000);
  },
);
