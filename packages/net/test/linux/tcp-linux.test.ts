/**
 * TCP with Linux as the peer (through the TAP bridge of `scripts/tap-netns.sh`): Linux's nc sends 10 MB to
 * an echo server on the stack and gets the same bytes back, curl fetches a page from Node's http server
 * running over the stack, and the stack's HTTP client fetches a page from Python's http.server inside the
 * namespace. Skipped, with the reason, where the machine cannot create namespaces or TAP devices.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNetError } from "../../src/errors.js";
import { Rng } from "../../src/phy/rng.js";
import { NetStack } from "../../src/socket/stack.js";
import type { TcpConnection } from "../../src/tcp/connection.js";
import { TcpDuplex } from "../../src/tcp/duplex.js";
import { TcpNet } from "../../src/tcp/tcp-net.js";
import { type LinuxPeer, linuxPeerUnavailable, linuxPeerUp } from "./netns.js";

const unavailable = linuxPeerUnavailable();
if (unavailable !== undefined) console.warn(`[net] TCP Linux-peer tests skipped: ${unavailable}`);

const PAGE = `<!doctype html><title>shoal</title><p>${"served over the shoal stack. ".repeat(140)}</p>\n`;

async function echo(c: TcpConnection): Promise<void> {
  for (;;) {
    const chunk = await c.read();
    if (chunk === null) break;
    await c.write(chunk);
  }
  await c.close();
}

describe.skipIf(unavailable !== undefined)("TCP with Linux over TAP", () => {
  let peer: LinuxPeer;
  let stack: NetStack;
  let tcp: TcpNet;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    peer = await linuxPeerUp("tcp");
    stack = new NetStack({ device: peer.device, mac: "02:00:00:77:00:02", ip: "10.77.0.2" });
    tcp = new TcpNet(stack, { config: { rxBufferSize: 256 * 1024, txBufferSize: 256 * 1024 } });
    dir = mkdtempSync(join(tmpdir(), "shoal-tcp-"));
  }, 30_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    tcp?.close();
    await stack?.close();
    peer?.down();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("nc sends 10 MB to the stack's echo server and gets the same SHA-256 back", async () => {
    const data = new Uint8Array(10 << 20);
    const rng = new Rng(15);
    for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
    const file = join(dir, "10mb.bin");
    writeFileSync(file, data);
    const server = tcp.listen(5000);
    const served = server.accept().then(echo);
    const r = await peer.run(["sh", "-c", `nc -N -w 30 10.77.0.2 5000 < ${file} | sha256sum`], {
      timeoutMs: 60_000,
    });
    await served;
    server.close();
    expect(r.stderr).toBe("");
    expect(r.stdout.split(" ")[0]).toBe(createHash("sha256").update(data).digest("hex"));
  }, 90_000);

  it("curl fetches a page from Node's http server running over the stack", async () => {
    const httpServer = http.createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(PAGE);
    });
    const server = tcp.listen(8080);
    server.on("connection", (c) => httpServer.emit("connection", new TcpDuplex(c)));
    const r = await peer.run(["curl", "-s", "-S", "--max-time", "10", "http://10.77.0.2:8080/index.html"]);
    server.close();
    httpServer.close();
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(PAGE);
  }, 30_000);

  it("the stack's HTTP client fetches a page from Python's http.server in the namespace", async () => {
    writeFileSync(join(dir, "page.html"), PAGE);
    const py = spawn(
      "ip",
      [
        "netns",
        "exec",
        peer.netns,
        "python3",
        "-m",
        "http.server",
        "8000",
        "--bind",
        "10.77.0.1",
        "--directory",
        dir,
      ],
      {
        stdio: "ignore",
      },
    );
    children.push(py);
    const get = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.get(
          {
            path: "/page.html",
            createConnection: () => new TcpDuplex(tcp.open({ host: "10.77.0.1", port: 8000 })),
          },
          (res) => {
            let body = "";
            res.on("data", (d: Buffer) => {
              body += d.toString();
            });
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
      });
    let reply: { status: number; body: string } | undefined;
    // Python needs a moment to bind: retry while the port refuses (bounded).
    for (let i = 0; i < 50 && reply === undefined; i++) {
      try {
        reply = await get();
      } catch (e) {
        if (!isNetError(e, "REFUSED")) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    py.kill("SIGKILL");
    expect(reply).toEqual({ status: 200, body: PAGE });
  }, 30_000);
});
