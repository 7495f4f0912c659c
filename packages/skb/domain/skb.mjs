// The skb domain: the system knowledge base as a service. It starts an engine, learns this machine
// (discovery, one shoal core per booted core; or `--board NAME`, restricted to the booted cores) and
// serves Barrelfish's skb.if, registered as "skb". Args: [name, --board NAME].
// `run(query)` answers one line per answer of `Var = value` bindings (`true`, or `false` when there
// is none); a Prolog error is str_error with int_error 2. Runs until the system halts. Built
// JavaScript on purpose: a core loads it as it is (workers get no loader hooks).
import { Skb } from "@shoal/libshoal/interfaces/skb";
import { formatTerm, isSkbError, loadBoard, loadHost, SkbEngine } from "@shoal/skb";

/** int_error values of run. */
const OK = 0;
const NO_ANSWER = 1;
const FAILED = 2;
const MAX_OUTPUT = 65535;

function answerText(r) {
  if (r.answers.length === 0) return "false";
  const lines = r.answers.map((b) =>
    r.variables.length === 0 ? "true" : r.variables.map((v) => `${v} = ${formatTerm(b[v])}`).join(", "),
  );
  return lines.join("\n");
}

export default async function main(self, args) {
  const name = args[0] ?? "skb";
  const b = args.indexOf("--board");
  const board = b >= 0 ? args[b + 1] : undefined;
  const engine = await SkbEngine.start();
  const t0 = performance.now();
  if (board === undefined) loadHost(engine, { cores: self.cores });
  else {
    loadBoard(engine, board);
    // The booted cores only: the board's other cores leave the trees (the tables rebuild on change).
    engine.query("forall((core(K, _), K >= N), retractall(core(K, _)))", { inputs: { N: self.cores } });
    const known = engine.once("cores(Cs), length(Cs, L)")?.L;
    if (known !== self.cores)
      self.log(
        `skb: board ${board} describes ${known} of the ${self.cores} booted cores; the others get no routes`,
      );
  }
  const factsMs = performance.now() - t0;
  const iref = await self.export(Skb, {
    rpc: {
      run(input) {
        try {
          const r = engine.query(input.trim().replace(/\.\s*$/, ""));
          const text = answerText(r);
          if (new TextEncoder().encode(text).length > MAX_OUTPUT) {
            return {
              output: "",
              str_error: "the answers do not fit skb.if's 64 KiB output",
              int_error: FAILED,
            };
          }
          return { output: text, str_error: "", int_error: r.answers.length > 0 ? OK : NO_ANSWER };
        } catch (e) {
          const message = isSkbError(e) ? `${e.code}: ${e.message.split("\n")[0]}` : String(e);
          return { output: "", str_error: message.slice(0, 511), int_error: FAILED };
        }
      },
    },
  });
  await self.names.register(name, iref);
  const p = engine.startProfile;
  self.log(
    `skb: serving '${name}' as iref ${iref} on ${board ?? "this machine's facts"} (engine ${engine.startMs.toFixed(0)} ms: ` +
      `${p.mode}${p.preloadedModule ? ", module handed over" : `, compile ${p.compileMs.toFixed(0)} ms`}, swipl ${p.swiplMs.toFixed(0)} ms; facts ${factsMs.toFixed(0)} ms)`,
  );
  return new Promise(() => {});
}
