/**
 * A throwaway verdaccio: 127.0.0.1 only, a free port, no uplinks (so nothing it serves can come from the
 * public registry), its config, storage and log in a directory the caller deletes. Anonymous publish is on,
 * which is why any dummy `_authToken` works for its URL.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { killGroup, PublishCheckError, tail } from "./proc.mjs";

const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * @typedef {object} Registry
 * @property {string} url `http://127.0.0.1:PORT/`
 * @property {string} logFile verdaccio's own log
 * @property {() => Promise<void>} stop stops the server (idempotent; SIGKILL if SIGTERM is not enough)
 */

/**
 * Starts verdaccio with its files under `dir` and resolves once it answers `/-/ping`.
 * @param {string} dir an empty directory owned by the caller
 * @returns {Promise<Registry>}
 */
export async function startVerdaccio(dir) {
  const storage = join(dir, "storage");
  await mkdir(storage, { recursive: true });
  const bin = await verdaccioBin();
  // A port can be taken between probing and binding; a couple of tries makes that race harmless.
  let lastError = /** @type {unknown} */ (undefined);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const config = join(dir, `config-${port}.yaml`);
    await writeFile(config, configYaml(storage, join(dir, "htpasswd")));
    try {
      return await launch(bin, config, port, join(dir, `verdaccio-${port}.log`));
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/**
 * @param {string} bin
 * @param {string} config
 * @param {number} port
 * @param {string} logFile
 * @returns {Promise<Registry>}
 */
async function launch(bin, config, port, logFile) {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [bin, "--config", config, "--listen", `${HOST}:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.once("close", resolve));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    await new Promise((resolve) => log.end(resolve));
  };
  const url = `http://${HOST}:${port}/`;
  try {
    await waitUntilReady(url, exited);
  } catch (err) {
    await stop();
    const seen = await readFile(logFile, "utf8").catch(() => "");
    const message = err instanceof Error ? err.message : String(err);
    throw new PublishCheckError("start verdaccio", message, tail(seen));
  }
  return { url, logFile, stop };
}

/**
 * Polls `/-/ping` until it answers 200, the server exits, or the time is up.
 * @param {string} url
 * @param {Promise<unknown>} exited settles when the server process ends
 */
async function waitUntilReady(url, exited) {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`verdaccio exited before answering on ${url}`);
    try {
      const res = await fetch(new URL("-/ping", url), { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`verdaccio did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

/**
 * verdaccio's CLI script, resolved from tools/'s own dependencies (no global install, no npx download).
 * @returns {Promise<string>}
 */
async function verdaccioBin() {
  const require = createRequire(import.meta.url);
  let manifestPath;
  try {
    manifestPath = require.resolve("verdaccio/package.json");
  } catch {
    throw new PublishCheckError("start verdaccio", "verdaccio is not installed; run `pnpm install` first");
  }
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin.verdaccio;
  return join(dirname(manifestPath), bin);
}

/**
 * A port that was free a moment ago on 127.0.0.1.
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * No `uplinks`: a package verdaccio does not hold is a 404, never a proxy to the public registry.
 * @param {string} storage
 * @param {string} htpasswd
 */
function configYaml(storage, htpasswd) {
  return `# Written by tools/test-publish.mjs for one run; deleted with its directory.
storage: ${JSON.stringify(storage)}
auth:
  htpasswd:
    file: ${JSON.stringify(htpasswd)}
    max_users: -1
uplinks: {}
packages:
  "**":
    access: $all
    publish: $anonymous
    unpublish: $anonymous
web:
  enable: false
log:
  type: stdout
  format: pretty
  level: warn
`;
}
