/**
 * Child processes for the release check: every command has a label and a time limit, runs in its own process
 * group (so a timeout or Ctrl-C kills the whole tree, npx and its children included), and a failure carries
 * the command's output so the report says what went wrong without re-running anything.
 */
import { spawn } from "node:child_process";

/** A step of the release check failed; `step` names it in the final report. */
export class PublishCheckError extends Error {
  /**
   * @param {string} step what was being done ("publish", "smoke 2: flounder gen", ...)
   * @param {string} message what went wrong
   * @param {string} [output] the tail of the failing command's output, printed under the message
   */
  constructor(step, message, output = "") {
    super(`${step}: ${message}`);
    this.name = "PublishCheckError";
    this.code = "PUBLISH_CHECK_FAILED";
    this.step = step;
    this.output = output;
  }
}

/** Children still running, killed by {@link killAll} when the check is interrupted. */
const running = new Set();

/**
 * The environment for a child with every npm/pnpm setting inherited from the caller removed. `pnpm run`
 * exports its own configuration as `npm_config_*`, and those would outrank the consumer's `.npmrc` (env beats
 * project config), so a consumer could silently resolve @shoal/* from the public registry instead of verdaccio.
 * @param {Record<string, string>} [extra] variables to set on top
 * @returns {NodeJS.ProcessEnv}
 */
export function cleanEnv(extra = {}) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (k.startsWith("npm_") || k.startsWith("pnpm_") || k === "init_cwd") continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
    TURBO_TELEMETRY_DISABLED: "1",
    ...extra,
  };
}

/**
 * Runs a command to completion, capturing its output (and echoing it when `echo` is set).
 * @param {string} step label used in errors
 * @param {string} cmd executable
 * @param {readonly string[]} args arguments
 * @param {{cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, echo?: boolean, allowFail?: boolean}} opts
 * @returns {Promise<{code: number, out: string}>} exit code and interleaved stdout+stderr
 */
export function run(step, cmd, args, opts) {
  const { cwd, env = cleanEnv(), timeoutMs = 120_000, echo = false, allowFail = false } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    running.add(child);
    let out = "";
    const collect = (/** @type {Buffer} */ chunk) => {
      out += chunk.toString();
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, "SIGKILL");
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new PublishCheckError(step, `could not start \`${cmd}\`: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const shown = `\`${[cmd, ...args].join(" ")}\` (in ${cwd})`;
      if (timedOut) {
        reject(
          new PublishCheckError(step, `${shown} did not finish within ${timeoutMs / 1000} s`, tail(out)),
        );
      } else if (code !== 0 && !allowFail) {
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new PublishCheckError(step, `${shown} ${why}`, tail(out)));
      } else {
        resolve({ code: code ?? 1, out });
      }
    });
  });
}

/**
 * Sends a signal to a child's whole process group (children are spawned detached, so they lead one).
 * @param {import("node:child_process").ChildProcess} child
 * @param {NodeJS.Signals} signal
 */
export function killGroup(child, signal) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone: nothing left to stop.
  }
}

/** Kills every command still running (used when the check is interrupted). */
export function killAll() {
  for (const child of running) killGroup(child, "SIGKILL");
  running.clear();
}

/**
 * The last lines of a command's output: enough to see the error, short enough to read.
 * @param {string} text
 * @param {number} [lines]
 */
export function tail(text, lines = 40) {
  const all = text.trimEnd().split("\n");
  const kept = all.slice(-lines).join("\n");
  return all.length > lines ? `[... ${all.length - lines} earlier lines]\n${kept}` : kept;
}
