// Capability invocations from inside a domain: a frame mapped through the MMU, and the typed refusals
// (forged, wrong type, deleted, lacking rights, unmapped). Logs one JSON line of what it saw.
const RIGHT_READ = 1;

function code(fn) {
  try {
    fn();
    return "no error";
  } catch (e) {
    return e?.name === "OsError" ? e.code : `untyped: ${e}`;
  }
}

async function codeOf(p) {
  try {
    await p;
    return "no error";
  } catch (e) {
    return e?.name === "OsError" ? e.code : `untyped: ${e}`;
  }
}

export default async function main(self) {
  const seen = { faults: 0 };
  self.vspace.setFaultHandler((e) => {
    if (e.code === "PAGE_FAULT") seen.faults++;
  });
  const frame = await self.frames.alloc(1 << 16);
  seen.identify = self.caps.identify(frame);
  const mem = await self.vspace.map(frame);
  mem.setUint32(0, 0xc0ffee);
  mem.write(4094, new Uint8Array([7, 8, 9, 10]));
  seen.word = mem.getUint32(0);
  seen.bytes = [...mem.read(4094, 4)];
  seen.outside = code(() => mem.getUint8(1 << 16));
  seen.forgedNumber = await codeOf(self.vspace.map(5));
  const ro = self.caps.mint(frame, RIGHT_READ);
  seen.readOnlyWrite = await codeOf(self.vspace.map(ro, { write: true }));
  const roMem = await self.vspace.map(ro);
  seen.readOnlyRead = roMem.getUint32(0);
  seen.readOnlyStore = code(() => roMem.setUint32(0, 1));
  const copy = self.caps.copy(frame);
  self.caps.delete(copy);
  seen.deleted = code(() => self.caps.identify(copy));
  await self.vspace.unmap(mem);
  seen.afterUnmap = code(() => mem.getUint32(0));
  self.log(`result ${JSON.stringify(seen)}`);
  return 0;
}
