// On a core whose RAM runs out: allocates 256 KiB frames until one comes from another core's RAM
// (its owner is that core), uses it, then deletes everything. Logs `result {...}`.
export default async function main(self) {
  const local = [];
  let stolen = null;
  for (let i = 0; i < 200 && stolen === null; i++) {
    const f = await self.frames.alloc(256 * 1024);
    if (self.caps.identify(f).owner === self.core) local.push(f);
    else stolen = f;
  }
  const r = { local: local.length };
  if (stolen !== null) {
    const id = self.caps.identify(stolen);
    r.owner = id.owner;
    r.base = id.base;
    r.size = id.size;
    r.relations = id.relations;
    const mem = await self.vspace.map(stolen);
    mem.setUint32(1000, 0x5eed);
    r.word = mem.getUint32(1000);
    await self.vspace.unmap(mem);
    await self.caps.delete(stolen);
  }
  for (const f of local) await self.caps.delete(f);
  self.log(`result ${JSON.stringify(r)}`);
  return 0;
}
