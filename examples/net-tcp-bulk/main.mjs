// TCP bulk over the IP loopback between domains (the paper's §5.2 setup with TCP): a sink with its own
// stack on the last core, a source with its own stack on core 0, the stacks' devices joined over
// net_frames (urpc across cores). The source sends args[0] MiB (default 10) and checks the sink's
// SHA-256 of what arrived against its own. args[1] is the link layout ("LINES:BATCH", default
// net-common's DEFAULT_LINK; "32:1516" is the layout before bindings could size their rings).
export default async function main(self, args) {
  const mib = args[0] ?? "10";
  const link = args[1] ?? "";
  await self.spawn(new URL("./sink.mjs", import.meta.url), {
    core: self.cores - 1,
    args: ["net-tcp-bulk", link],
  });
  const source = await self.spawn(new URL("./source.mjs", import.meta.url), {
    core: 0,
    args: ["net-tcp-bulk", mib, link],
  });
  return source.exited;
}
