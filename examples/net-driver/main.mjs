// The NIC driver domain on core 0 and an HTTP server with its own stack (10.77.0.2) on the last core,
// reaching the wire through the driver. Needs the TAP bridge up (packages/net/scripts/tap-netns.sh up,
// which prints the socat port): pnpm shoal boot --cores 2 --run examples/net-driver/main.mjs SOCAT_PORT
// STACK_PORT. Then `ip netns exec shoal ping 10.77.0.2` and `curl http://10.77.0.2/` from Linux.
export default async function main(self, args) {
  const [socatPort, stackPort = "0"] = args;
  if (socatPort === undefined) {
    self.log("usage: main.mjs SOCAT_PORT [STACK_PORT]");
    return 2;
  }
  await self.spawn(new URL("./driver.mjs", import.meta.url), { core: 0, args: [socatPort, stackPort] });
  await self.spawn(new URL("../net-http/server.mjs", import.meta.url), { core: self.cores - 1 });
  return new Promise(() => {});
}
