// The skb domain: the system knowledge base as a service. It starts an engine, learns this machine
// (discovery, one shoal core per booted core) and serves Barrelfish's skb.if, registered as "skb".
// `run(query)` answers one line per answer of `Var = value` bindings (`true`, or `false` when there
// is none); a Prolog error is str_error with int_error 2. Runs until the system halts. Built
// JavaScript on purpose: a core loads it as it is (workers get no loader hooks).
import { Skb } from "@shoal/libshoal/interfaces/skb";
import { formatTerm, isSkbError, loadHost, SkbEngine } from "@shoal/skb";

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
  const engine = await SkbEngine.start();
  loadHost(engine, { cores: self.cores });
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
  self.log(`skb: serving '${name}' as iref ${iref} (engine started in ${engine.startMs.toFixed(0)} ms)`);
  return new Promise(() => {});
}
