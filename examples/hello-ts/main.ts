// hello in TypeScript: a domain module that runs without a build step (the core loads it through tsx).
import type { Domain } from "@shoal/libshoal";

export default async function main(self: Domain, args: string[]): Promise<number> {
  const greeting: string = `hello from TypeScript, domain ${self.id} on core ${self.core}`;
  self.log(args.length > 0 ? `${greeting} (args: ${args.join(" ")})` : greeting);
  return 0;
}
