// A domain that waits asynchronously on a word of a frame it mapped, until the word changes: while it
// waits, ps must show it blocked. It says "waiting" on the console once the wait is pending.
export default async function main(self) {
  const mem = await self.vspace.map(await self.frames.alloc(4096));
  const woken = mem.waitAsync32(0, 0, 60_000);
  self.log("waiting");
  return (await woken) === "timed-out" ? 0 : 1;
}
