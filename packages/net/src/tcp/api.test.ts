import { createHash } from "node:crypto";
import * as http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { isNetError } from "../errors.js";
import { pairDevices } from "../phy/pair.js";
import { NetStack } from "../socket/stack.js";
import { TcpDuplex } from "./duplex.js";
import { TcpNet } from "./tcp-net.js";

const open: NetStack[] = [];

/** Two stacks on a pair link (10.77.0.1 "client", 10.77.0.2 "server"), on real timers. */
function twoStacks(config = {}) {
  const [da, db] = pairDevices();
  const a = new NetStack({ device: da, mac: "02:00:00:00:00:01", ip: "10.77.0.1", gratuitousArp: false });
  const b = new NetStack({ device: db, mac: "02:00:00:00:00:02", ip: "10.77.0.2", gratuitousArp: false });
  open.push(a, b);
  return { a, b, ta: new TcpNet(a, { config }), tb: new TcpNet(b, { config }) };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function readAll(c: { read(): Promise<Uint8Array | null> }): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const chunk = await c.read();
    if (chunk === null) return Buffer.concat(parts);
    parts.push(chunk);
  }
}

describe("TcpNet (promise API)", () => {
  it("echoes over accept/read/write/end", async () => {
    const { ta, tb } = twoStacks();
    const server = tb.listen(7);
    const served = (async () => {
      const c = await server.accept();
      const got = await readAll(c);
      await c.write(got);
      await c.close();
      return c;
    })();
    const c = await ta.connect({ host: "10.77.0.2", port: 7 });
    expect(c.remoteAddress).toBe("10.77.0.2");
    await c.write(new TextEncoder().encode("hello, stack"));
    await c.end();
    expect((await readAll(c)).toString()).toBe("hello, stack");
    const s = await served;
    expect(s.remoteAddress).toBe("10.77.0.1");
    expect(s.remotePort).toBe(c.localPort);
    server.close();
  });

  it("write pushes back on a small send buffer and 2 MB arrive intact", async () => {
    const { ta, tb } = twoStacks({ rxBufferSize: 8192, txBufferSize: 8192 });
    const server = tb.listen(9);
    const data = new Uint8Array(2 << 20).map((_, i) => (i * 7) & 0xff);
    const received = server.accept().then(readAll);
    const c = await ta.connect({ host: "10.77.0.2", port: 9 });
    const w = c.write(data);
    let settled = false;
    void w.then(() => {
      settled = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false); // 2 MB cannot fit an 8 KiB buffer: the promise waits for ACKs
    await w;
    await c.end();
    const got = await received;
    expect(createHash("sha256").update(got).digest("hex")).toBe(
      createHash("sha256").update(data).digest("hex"),
    );
    server.close();
  });

  it("connect to a closed port rejects with REFUSED", async () => {
    const { ta } = twoStacks();
    await expect(ta.connect({ host: "10.77.0.2", port: 1 })).rejects.toSatisfy((e) =>
      isNetError(e, "REFUSED"),
    );
  });

  it("a reset by the peer fails the pending read with RESET", async () => {
    const { ta, tb } = twoStacks();
    const server = tb.listen(7);
    const c = await ta.connect({ host: "10.77.0.2", port: 7 });
    const s = await server.accept();
    const pending = c.read();
    s.destroy();
    await expect(pending).rejects.toSatisfy((e) => isNetError(e, "RESET"));
    server.close();
  });

  it("accept after close rejects with CLOSED; listening twice is ADDR_IN_USE", async () => {
    const { tb } = twoStacks();
    const server = tb.listen(80);
    expect(() => tb.listen(80)).toThrow(/already listening/);
    server.close();
    await expect(server.accept()).rejects.toSatisfy((e) => isNetError(e, "CLOSED"));
  });
});

describe("TcpDuplex (net.Socket-like)", () => {
  it("Node's http server parses a request from the stack and the client over the stack reads the reply", async () => {
    const { ta, tb } = twoStacks();
    const httpServer = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => {
        body += d.toString();
      });
      req.on("end", () => {
        res.setHeader("content-type", "text/plain");
        res.end(`${req.method} ${req.url} ${body} from ${req.socket.remoteAddress}`);
      });
    });
    const server = tb.listen(80);
    server.on("connection", (c) => httpServer.emit("connection", new TcpDuplex(c)));
    const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: "10.77.0.2",
          port: 80,
          method: "POST",
          path: "/echo",
          createConnection: () => new TcpDuplex(ta.open({ host: "10.77.0.2", port: 80 })),
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
      req.end("ping");
    });
    expect(reply).toEqual({ status: 200, body: "POST /echo ping from 10.77.0.1" });
    server.close();
    httpServer.close();
  });

  it("pipes a 1 MB body through http in both directions", async () => {
    const { ta, tb } = twoStacks();
    const big = Buffer.alloc(1 << 20, "x");
    const httpServer = http.createServer((req, res) => {
      const h = createHash("sha256");
      req.on("data", (d: Buffer) => h.update(d));
      req.on("end", () => {
        res.write(h.digest("hex"));
        res.end(big);
      });
    });
    const server = tb.listen(8080);
    server.on("connection", (c) => httpServer.emit("connection", new TcpDuplex(c)));
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(
        {
          method: "PUT",
          path: "/",
          createConnection: () => new TcpDuplex(ta.open({ host: "10.77.0.2", port: 8080 })),
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (d: Buffer) => parts.push(d));
          res.on("end", () => resolve(Buffer.concat(parts)));
        },
      );
      req.on("error", reject);
      req.end(big);
    });
    expect(body.subarray(0, 64).toString()).toBe(createHash("sha256").update(big).digest("hex"));
    expect(body.length).toBe(64 + big.length);
    server.close();
    httpServer.close();
  });

  it("serves 40 concurrent HTTP requests over the stack", async () => {
    const { ta, tb } = twoStacks();
    const httpServer = http.createServer((req, res) => res.end(`you asked for ${req.url}`));
    const server = tb.listen(80);
    server.on("connection", (c) => httpServer.emit("connection", new TcpDuplex(c)));
    const get = (i: number) =>
      new Promise<string>((resolve, reject) => {
        const req = http.get(
          { path: `/${i}`, createConnection: () => new TcpDuplex(ta.open({ host: "10.77.0.2", port: 80 })) },
          (res) => {
            let body = "";
            res.on("data", (d: Buffer) => {
              body += d.toString();
            });
            res.on("end", () => resolve(body));
          },
        );
        req.on("error", reject);
      });
    const bodies = await Promise.all(Array.from({ length: 40 }, (_, i) => get(i)));
    expect(bodies).toEqual(Array.from({ length: 40 }, (_, i) => `you asked for /${i}`));
    server.close();
    httpServer.close();
  });
});
