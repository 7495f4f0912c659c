// The web + database workload (§5.4): the NIC driver on core 0, the SQLite database domain on the last
// core, the HTTP server with its own stack (10.77.0.2) on core 0 or 1 asking the database over urpc.
// Needs the TAP bridge up (packages/net/scripts/tap-netns.sh up):
//   pnpm shoal boot --cores 2 --run examples/net-sql/main.mjs SOCAT_PORT STACK_PORT
// then from Linux: curl 'http://10.77.0.2/sql/best?subject=4'.
export default async function main(self, args) {
  const [socatPort, stackPort = "0"] = args;
  if (socatPort === undefined) {
    self.log("usage: main.mjs SOCAT_PORT [STACK_PORT]");
    return 2;
  }
  const last = self.cores - 1;
  await self.spawn(new URL("./db.mjs", import.meta.url), { core: last, args: ["net-sql"] });
  await self.spawn(new URL("../net-driver/driver.mjs", import.meta.url), {
    core: 0,
    args: [socatPort, stackPort],
  });
  await self.spawn(new URL("../net-http/server.mjs", import.meta.url), {
    core: Math.min(1, last),
    args: ["net-driver", "10.77.0.2", "02:00:00:77:00:02", "80", "net-sql"],
  });
  return new Promise(() => {});
}
