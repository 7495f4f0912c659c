// Registers args[0] (a signal for a domain waiting on names.lookup) and exits.
export default async function main(self, [name]) {
  await self.names.register(name, 0);
  return 0;
}
