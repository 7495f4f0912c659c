// Maps a frame, unmaps it, and reads it anyway: the page fault kills this domain, not its core.
export default async function main(self) {
  const mem = await self.vspace.map(await self.frames.alloc(4096));
  await self.vspace.unmap(mem);
  const v = mem.getUint32(0);
  self.log(`read ${v} from unmapped memory`);
  return 0;
}
