/**
 * HTTP requests per second (§5.4): the 4.1 kB static page and a SQL page, served by the HTTP server
 * domain with its own stack on core 1, reached through the NIC driver domain on core 0 and the TAP bridge
 * (scripts/tap-netns.sh), with autocannon running inside the namespace; against the same handler on plain
 * Node http over 127.0.0.1 with autocannon in the host. Needs root (TAP, namespaces): otherwise the rows
 * say why they are missing.
 */

import { execFile, execFileSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Machine } from "@shoal/monitor";

/** One pair of figures. */
export interface HttpRps {
  readonly shoalRps: number | null;
  readonly nodeRps: number;
  readonly shoalErrors: number;
}

/** Results, or why the shoal side could not run. */
export interface HttpReport {
  readonly static: HttpRps;
  readonly sql: HttpRps;
  /**
   * The static page from a second server domain on the driver's core (core 0): the same path without the
   * cross-core hop (lrpc in one thread), to tell what crossing cores costs; null when skipped.
   */
  readonly staticSameCore: number | null;
  readonly skipped?: string;
  readonly connections: number;
  readonly seconds: number;
}

function upFrom(rel: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, rel))) return join(dir, rel);
    dir = dirname(dir);
  }
  throw new Error(`bench: ${rel} not found`);
}

async function freePort(): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const AUTOCANNON = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

/** Run autocannon (optionally inside a namespace); resolves with requests/s and errors. */
function autocannon(url: string, connections: number, seconds: number, netns?: string) {
  const argv = [process.execPath, AUTOCANNON, "-c", String(connections), "-d", String(seconds), "-j", url];
  const [cmd, args] =
    netns === undefined ? [argv[0] as string, argv.slice(1)] : ["ip", ["netns", "exec", netns, ...argv]];
  return new Promise<{ rps: number; errors: number }>((resolve, reject) => {
    execFile(cmd, args, { timeout: (seconds + 30) * 1000, maxBuffer: 16 << 20 }, (err, stdout) => {
      try {
        const j = JSON.parse(stdout) as { requests: { average: number }; errors: number; non2xx: number };
        resolve({ rps: j.requests.average, errors: j.errors + j.non2xx });
      } catch {
        reject(err ?? new Error(`autocannon printed no JSON: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function nodeRps(
  handler: Handler,
  path: string,
  connections: number,
  seconds: number,
): Promise<number> {
  const server = createServer({ keepAlive: true }, handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { port } = server.address() as AddressInfo;
    return (await autocannon(`http://127.0.0.1:${port}${path}`, connections, seconds)).rps;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const STATIC_PATH = "/";
const SQL_PATH = "/sql/new?subject=3";

/** Measure both pages on both servers. */
export async function httpReport(quick: boolean): Promise<HttpReport> {
  const connections = 10;
  const seconds = quick ? 3 : 10;
  const examples = upFrom("examples/net-http");
  const root = dirname(examples);
  const page = (await import(pathToFileURL(join(root, "net-common", "page.mjs")).href)) as {
    staticHandler: Handler;
  };
  const sqlMod = (await import(pathToFileURL(join(root, "net-sql", "handler.mjs")).href)) as {
    sqlPages: (q: (w: number, p: bigint) => unknown) => Handler;
  };
  const dbMod = (await import(pathToFileURL(join(root, "net-sql", "db.mjs")).href)) as {
    openDatabase: () => { statements: unknown[]; db: { close(): void } };
    answer: (s: unknown[], w: number, p: bigint) => unknown;
  };
  const db = dbMod.openDatabase();
  const nodeStatic = await nodeRps(page.staticHandler, STATIC_PATH, connections, seconds);
  const nodeSql = await nodeRps(
    sqlMod.sqlPages((w, p) => dbMod.answer(db.statements, w, p)),
    SQL_PATH,
    connections,
    seconds,
  );
  db.db.close();

  const script = upFrom("scripts/tap-netns.sh");
  let skipped: string | undefined;
  try {
    execFileSync(script, ["check"], { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
  } catch (e) {
    skipped = (e as { stderr?: Buffer }).stderr?.toString().trim() || String(e);
  }
  if (skipped !== undefined) {
    return {
      static: { shoalRps: null, nodeRps: nodeStatic, shoalErrors: 0 },
      sql: { shoalRps: null, nodeRps: nodeSql, shoalErrors: 0 },
      staticSameCore: null,
      skipped,
      connections,
      seconds,
    };
  }
  const netns = `shoal-bh${process.pid % 100_000}`;
  const socatPort = await freePort();
  const stackPort = await freePort();
  const env = {
    ...process.env,
    SHOAL_NETNS: netns,
    SHOAL_TAP: `shbh${process.pid % 100_000}`,
    SHOAL_SOCAT_PORT: String(socatPort),
    SHOAL_STACK_PORT: String(stackPort),
  };
  execFileSync(script, ["up"], { env, stdio: ["ignore", "ignore", "pipe"], timeout: 20_000 });
  const lines: string[] = [];
  const machine = await Machine.boot({ cores: 2, memoryBytes: 64 * 2 ** 20, console: (l) => lines.push(l) });
  try {
    const wait = async (re: RegExp) => {
      for (let t = 0; t < 600 && !lines.some((l) => re.test(l)); t++)
        await new Promise((r) => setTimeout(r, 50));
      if (!lines.some((l) => re.test(l))) throw new Error(`bench: no ${re} in:\n${lines.join("\n")}`);
    };
    await machine.spawn(join(root, "net-driver", "driver.mjs"), {
      core: 0,
      args: [String(socatPort), String(stackPort)],
    });
    await wait(/driver: wire port/);
    await machine.spawn(join(root, "net-sql", "db.mjs"), { core: 1, args: ["net-sql"] });
    await machine.spawn(join(root, "net-http", "server.mjs"), {
      core: 1,
      args: ["net-driver", "10.77.0.2", "02:00:00:77:00:02", "80", "net-sql"],
    });
    await machine.spawn(join(root, "net-http", "server.mjs"), {
      core: 0,
      args: ["net-driver", "10.77.0.4", "02:00:00:77:00:04", "80"],
    });
    await wait(/http: serving on 10\.77\.0\.2/);
    await wait(/http: serving on 10\.77\.0\.4/);
    const s = await autocannon(`http://10.77.0.2${STATIC_PATH}`, connections, seconds, netns);
    const q = await autocannon(`http://10.77.0.2${SQL_PATH}`, connections, seconds, netns);
    const same = await autocannon(`http://10.77.0.4${STATIC_PATH}`, connections, seconds, netns);
    return {
      static: { shoalRps: s.rps, nodeRps: nodeStatic, shoalErrors: s.errors },
      sql: { shoalRps: q.rps, nodeRps: nodeSql, shoalErrors: q.errors },
      staticSameCore: same.errors === 0 ? same.rps : null,
      connections,
      seconds,
    };
  } finally {
    await machine.halt();
    execFileSync(script, ["down"], { env, stdio: "ignore", timeout: 15_000 });
  }
}
