// The unmap safety test's domain (test/shootdown.test.ts, issue 16 part 3). The home maps a data page
// and a control page and spans a reader on every core (its own included). Each reader reads the data
// page in a loop, yielding between reads (a macrotask: its core's monitor must run to take part in
// the shootdown), at random intervals. Once every reader has read it (their TLBs hold the
// translation), the initiator (the home, or a spanned dispatcher on another core) waits a random
// while and unmaps it, then raises the "returned" flag. A reader that reads the page successfully
// after it saw the flag broke the guarantee. Every reader must end with a typed PAGE_FAULT.
//
// args: [seed, initiatorCore]. Logs `result {json}`.

// Control page words: 0 "unmap returned" flag; 4 + 4*c: reader on core c has read (warm);
// 256 + 4*c: reader c's verdict (1 faulted cleanly, 2 read after the flag, 3 never faulted);
// 512: the initiator's outcome (1 returned, 2 failed); 516..519: the data page's vaddr (low, high).
const FLAG = 0;
const warm = (c) => 4 + 4 * c;
const verdict = (c) => 256 + 4 * c;
const OUTCOME = 512;

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const macrotask = (rand) =>
  new Promise((r) => (rand() < 0.5 ? setImmediate(r) : setTimeout(r, Math.floor(rand() * 3))));

async function until(pred) {
  for (let i = 0; i < 20_000; i++) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 1));
  }
  return false;
}

export default async function main(self, args) {
  if (args[0] === "blocker") return blockerHome(self, args.slice(1));
  const seed = Number(args[0] ?? 1);
  const initiator = Number(args[1] ?? self.core);
  const rand = rng(seed);
  self.vspace.setFaultHandler(() => {});
  const ctl = await self.vspace.map(await self.frames.alloc(4096));
  const data = await self.vspace.map(await self.frames.alloc(4096));
  data.setUint32(0, 0xda7a);
  ctl.setUint32(OUTCOME + 4, data.vaddr % 2 ** 32);
  ctl.setUint32(OUTCOME + 8, Math.floor(data.vaddr / 2 ** 32));
  const me = new URL(import.meta.url);
  const readers = [];
  for (let c = 0; c < self.cores; c++)
    readers.push(
      await self.span(c, me, {
        entry: "reader",
        args: [String(ctl.vaddr), String(data.vaddr), String(seed + c)],
      }),
    );
  const out = { seed, initiator, cores: self.cores };
  out.warm = await until(() => readers.every((r) => ctl.getUint32(warm(r.core)) === 1));
  let unmapper;
  if (initiator === self.core) {
    for (let i = Math.floor(rand() * 4); i > 0; i--) await macrotask(rand);
    try {
      await self.vspace.unmap(data);
      ctl.setUint32(FLAG, 1);
      ctl.setUint32(OUTCOME, 1);
    } catch (e) {
      ctl.setUint32(OUTCOME, 2);
      out.error = e?.code ?? String(e);
    }
  } else {
    unmapper = await self.span(initiator, me, {
      entry: "unmapper",
      args: [String(ctl.vaddr), String(data.vaddr), String(seed)],
    });
    out.unmapperCode = await unmapper.exited;
  }
  out.codes = await Promise.all(readers.map((r) => r.exited));
  out.verdicts = readers.map((r) => ctl.getUint32(verdict(r.core)));
  out.outcome = ctl.getUint32(OUTCOME);
  self.log(`result ${JSON.stringify(out)}`);
  return 0;
}

export async function reader(self, args) {
  const [ctlAt, dataAt, seed] = args.map(Number);
  const rand = rng(seed);
  self.vspace.setFaultHandler(() => {});
  const ctl = self.vspace.view(ctlAt, 4096);
  const data = self.vspace.view(dataAt, 4096);
  for (let i = 0; i < 100_000; i++) {
    const returned = ctl.getUint32(FLAG) === 1;
    try {
      data.getUint32(0);
    } catch (e) {
      ctl.setUint32(verdict(self.core), e?.code === "PAGE_FAULT" ? 1 : 4);
      return 0;
    }
    if (returned) {
      ctl.setUint32(verdict(self.core), 2);
      return 2;
    }
    ctl.setUint32(warm(self.core), 1);
    await macrotask(rand);
  }
  ctl.setUint32(verdict(self.core), 3);
  return 3;
}

export async function unmapper(self, args) {
  const [ctlAt, dataAt, seed] = args.map(Number);
  const rand = rng(seed * 7 + 1);
  const ctl = self.vspace.view(ctlAt, 4096);
  const data = self.vspace.view(dataAt, 4096);
  for (let i = Math.floor(rand() * 4); i > 0; i--) await macrotask(rand);
  try {
    await self.vspace.unmap(data);
    ctl.setUint32(FLAG, 1);
    ctl.setUint32(OUTCOME, 1);
    return 0;
  } catch (e) {
    ctl.setUint32(OUTCOME, 2);
    self.log(`unmap failed: ${e?.code}: ${e?.message}`);
    return 1;
  }
}

// The PEER_DIED test: a dispatcher whose core stops answering (its thread blocks, bounded) while the
// home unmaps a page it translated; the test kills that core during the unmap.
export async function blocked(self, args) {
  const ctl = self.vspace.view(Number(args[0]), 4096);
  const data = self.vspace.view(Number(args[1]), 4096);
  data.getUint32(0);
  // One await first, so that span_start is answered; then, in one turn, say so and hold this core's
  // thread (its monitor cannot ack), 10 s at most: the home's unmap starts only after the signal.
  await new Promise((r) => setTimeout(r, 5));
  ctl.setUint32(warm(self.core), 1);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  return 0;
}

async function blockerHome(self, args) {
  const victim = Number(args[0]);
  self.vspace.setFaultHandler(() => {});
  const ctl = await self.vspace.map(await self.frames.alloc(4096));
  const data = await self.vspace.map(await self.frames.alloc(4096));
  const me = new URL(import.meta.url);
  const others = [];
  for (let c = 1; c < self.cores; c++)
    if (c !== victim)
      others.push(
        await self.span(c, me, { entry: "reader", args: [String(ctl.vaddr), String(data.vaddr), String(c)] }),
      );
  await self.span(victim, me, { entry: "blocked", args: [String(ctl.vaddr), String(data.vaddr)] });
  await until(
    () => ctl.getUint32(warm(victim)) === 1 && others.every((r) => ctl.getUint32(warm(r.core)) === 1),
  );
  self.log("unmapping");
  const out = {};
  try {
    await self.vspace.unmap(data);
    out.unmap = "returned";
  } catch (e) {
    out.unmap = e?.name === "OsError" ? e.code : `untyped: ${e}`;
  }
  out.others = await Promise.all(others.map((r) => r.exited));
  self.log(`result ${JSON.stringify(out)}`);
  return 0;
}
