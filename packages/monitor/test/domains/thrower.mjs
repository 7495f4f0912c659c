// A domain whose main throws (args[0] = "sync") or rejects: it must be reported and killed, its core going on.
export default async function main(_self, args) {
  if (args[0] === "sync") throw new Error("thrown on purpose");
  await new Promise((r) => setTimeout(r, 5));
  throw new Error("rejected on purpose");
}
