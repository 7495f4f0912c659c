// IP loopback between domains (the paper's §5.2, Table 4): a UDP sink with its own stack on the last
// core, a source with its own stack on core 0, the two stacks' devices joined over net_frames (urpc
// across cores). The source sends args[0] 1000-byte datagrams (default 100000) and prints Mbit/s.
// args[1] is the link layout ("LINES:BATCH", default net-common's DEFAULT_LINK).
export default async function main(self, args) {
  const count = args[0] ?? "100000";
  const link = args[1] ?? "";
  const sinkCore = self.cores - 1;
  const sink = await self.spawn(new URL("./sink.mjs", import.meta.url), {
    core: sinkCore,
    args: ["net-loopback", link],
  });
  const source = await self.spawn(new URL("./source.mjs", import.meta.url), {
    core: 0,
    args: ["net-loopback", count, "1000", link],
  });
  const code = await source.exited;
  void sink;
  return code;
}
