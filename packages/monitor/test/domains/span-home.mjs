// A domain that spans cores (test/span.test.ts). Its main is the home dispatcher; the other exports
// are entries of spanned dispatchers. Every wait is bounded and yields (a spanned dispatcher that
// spins without awaiting would keep its core's monitor from running). Logs one `result {json}` line.
const MAGIC = 0x5ca1ab1e;

function codeOf(fn) {
  try {
    fn();
    return "no error";
  } catch (e) {
    return e?.name === "OsError" ? e.code : `untyped: ${e}`;
  }
}

async function codeOfAsync(p) {
  try {
    await p;
    return "no error";
  } catch (e) {
    return e?.name === "OsError" ? e.code : `untyped: ${e}`;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 1));

/** Waits (yielding) until word `at` of `mem` is `want`; false after ~10 s. */
async function until(mem, at, want) {
  for (let i = 0; i < 10_000; i++) {
    if (mem.getUint32(at) === want) return true;
    await tick();
  }
  return false;
}

export default async function main(self, args) {
  const [scenario, n] = args;
  const cores = Number(n ?? self.cores);
  const out = { id: self.id, core: self.core };
  // Faults are expected (after unmap, writes after protect): heard, not fatal.
  self.vspace.setFaultHandler(() => {});
  if (scenario === "share") {
    // Home maps and writes; every spanned dispatcher reads through its own core's MMU and writes back.
    const frame = await self.frames.alloc(1 << 16);
    const mem = await self.vspace.map(frame);
    mem.setUint32(0, MAGIC);
    const spans = [];
    for (let c = 1; c < cores; c++)
      spans.push(
        await self.span(c, new URL(import.meta.url), {
          entry: "reader",
          args: [String(mem.vaddr), String(mem.byteLength)],
        }),
      );
    out.dispatchers = spans.map((s) => ({ core: s.core, dispatcher: s.dispatcher }));
    out.codes = await Promise.all(spans.map((s) => s.exited));
    out.written = spans.map((s) => mem.getUint32(64 * s.core));
    out.viewOnHome = self.vspace.view(mem.vaddr, mem.byteLength).getUint32(0);
  } else if (scenario === "remote-map") {
    // A spanned dispatcher maps its own frame (carried out on the home core) and tells us where.
    const ctl = await self.vspace.map(await self.frames.alloc(4096));
    const s = await self.span(1, new URL(import.meta.url), {
      entry: "mapper",
      args: [String(ctl.vaddr)],
    });
    out.code = await s.exited;
    const vaddr = ctl.getUint32(8) * 2 ** 32 + ctl.getUint32(4);
    const bytes = ctl.getUint32(12);
    const v = self.vspace.view(vaddr, bytes);
    out.seen = v.getUint32(0);
    out.seenLast = v.getUint32(bytes - 4);
    out.homeWrites = codeOf(() => v.setUint32(16, 99));
    await self.vspace.unmap(v);
    out.afterUnmap = codeOf(() => v.getUint32(0));
  } else if (scenario === "protect") {
    // Home downgrades a mapping; the spanned dispatcher's next write through its view faults.
    const ctl = await self.vspace.map(await self.frames.alloc(4096));
    const data = await self.vspace.map(await self.frames.alloc(4096));
    const s = await self.span(1, new URL(import.meta.url), {
      entry: "writer",
      args: [String(ctl.vaddr), String(data.vaddr)],
    });
    out.first = await until(ctl, 0, 1);
    await self.vspace.protect(data, { write: false });
    out.homeWrite = codeOf(() => data.setUint32(0, 5));
    ctl.setUint32(0, 2);
    out.code = await s.exited;
    out.guestWrite = ctl.getUint32(4) === 1 ? "PAGE_FAULT" : "no fault";
    out.guestRead = ctl.getUint32(8);
    await self.vspace.protect(data, { write: true });
    data.setUint32(0, 6);
    out.rewritable = data.getUint32(0);
  } else if (scenario === "codes") {
    const me = new URL(import.meta.url);
    const a = await self.span(1, me, { entry: "seven" });
    const b = await self.span(1 % cores, me, { entry: "thrower" });
    const c = await self.span(0, me, { entry: "seven" });
    out.codes = [await a.exited, await b.exited, await c.exited];
    out.sameCore = c.core;
    out.missing = await codeOfAsync(self.span(1, me, { entry: "nope" }));
    out.noCore = await codeOfAsync(self.span(99, me, { entry: "seven" }));
  } else if (scenario === "hold") {
    // A spanned dispatcher that waits (yielding) until its home is gone; ps shows it meanwhile.
    const ctl = await self.vspace.map(await self.frames.alloc(4096));
    const s = await self.span(1, new URL(import.meta.url), { entry: "holder", args: [String(ctl.vaddr)] });
    await until(ctl, 0, 1);
    self.log(`spanned ${s.dispatcher}`);
    self.log(`held ${await s.exited}`);
    return 0;
  }
  self.log(`result ${JSON.stringify(out)}`);
  return 0;
}

export async function reader(self, args) {
  const [vaddr, bytes] = args.map(Number);
  const v = self.vspace.view(vaddr, bytes);
  if (v.getUint32(0) !== MAGIC) return 2;
  v.setUint32(64 * self.core, 1000 + self.core);
  return 10 + self.core;
}

export async function mapper(self, args) {
  const ctl = self.vspace.view(Number(args[0]), 4096);
  const frame = await self.frames.alloc(8192);
  const mem = await self.vspace.map(frame);
  mem.setUint32(0, 0xfeed);
  mem.setUint32(8188, 0xbeef);
  ctl.setUint32(4, mem.vaddr % 2 ** 32);
  ctl.setUint32(8, Math.floor(mem.vaddr / 2 ** 32));
  ctl.setUint32(12, mem.byteLength);
  return self.id === Number(args[1] ?? self.id) ? 3 : 4;
}

export async function writer(self, args) {
  const ctl = self.vspace.view(Number(args[0]), 4096);
  const data = self.vspace.view(Number(args[1]), 4096);
  data.setUint32(0, 42);
  ctl.setUint32(0, 1);
  if (!(await until(ctl, 0, 2))) return 9;
  self.vspace.setFaultHandler(() => {});
  ctl.setUint32(4, codeOf(() => data.setUint32(0, 43)) === "PAGE_FAULT" ? 1 : 0);
  ctl.setUint32(8, data.getUint32(0));
  return 0;
}

export function seven() {
  return 7;
}

export function thrower() {
  throw new Error("a spanned dispatcher that throws");
}

export async function holder(self, args) {
  const ctl = self.vspace.view(Number(args[0]), 4096);
  ctl.setUint32(0, 1);
  // Once stopped (its home exited), the view faults and this loop ends.
  for (let i = 0; i < 30_000 && ctl.getUint32(0) === 1; i++) await tick();
  return 5;
}
