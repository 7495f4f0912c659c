// IP loopback between domains (the paper's §5.2, Table 4): a UDP sink with its own stack on the last
// core, a source with its own stack on core 0, the two stacks' devices joined over net_frames (urpc
// across cores). The source sends args[0] 1000-byte datagrams (default 100000) and prints Mbit/s.
export default async function main(self, args) {
  const count = args[0] ?? "100000";
  const sinkCore = self.cores - 1;
  const sink = await self.spawn(new URL("./sink.mjs", import.meta.url), {
    core: sinkCore,
    args: ["net-loopback"],
  });
  const source = await self.spawn(new URL("./source.mjs", import.meta.url), {
    core: 0,
    args: ["net-loopback", count],
  });
  const code = await source.exited;
  void sink;
  return code;
}
