// UDP echo (§5.4): the NIC driver on core 0 and an echo server with its own stack (10.77.0.2, port 7)
// on the last core. Needs the TAP bridge up (packages/net/scripts/tap-netns.sh up):
//   pnpm shoal boot --cores 2 --run examples/net-udp-echo/main.mjs SOCAT_PORT STACK_PORT
// then from Linux: echo hi | nc -u -w1 10.77.0.2 7.
export default async function main(self, args) {
  const [socatPort, stackPort = "0"] = args;
  if (socatPort === undefined) {
    self.log("usage: main.mjs SOCAT_PORT [STACK_PORT]");
    return 2;
  }
  await self.spawn(new URL("../net-driver/driver.mjs", import.meta.url), {
    core: 0,
    args: [socatPort, stackPort],
  });
  await self.spawn(new URL("./echo.mjs", import.meta.url), { core: self.cores - 1 });
  return new Promise(() => {});
}
