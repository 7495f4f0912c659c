// hello: the smallest domain. Runs on the core it is spawned on, greets, spawns itself once on every
// other core, and waits for the children.
export default async function main(self, args) {
  self.log(
    `hello from domain ${self.id} on core ${self.core} of ${self.cores}${args.length > 0 ? ` (args: ${args.join(" ")})` : ""}`,
  );
  if (args[0] === "child") return 0;
  const children = [];
  for (let core = 0; core < self.cores; core++) {
    if (core === self.core) continue;
    children.push(await self.spawn(new URL(import.meta.url), { core, args: ["child"] }));
  }
  const codes = await Promise.all(children.map((c) => c.exited));
  self.log(`${children.length} children exited with ${JSON.stringify(codes)}`);
  return codes.every((c) => c === 0) ? 0 : 1;
}
