// The shoal command as a user runs it: usage errors are one line and exit 2; `boot --run` returns the
// app's exit code; `boot --exec` prints the shell's answers; bad shell input is one line, never a crash.
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseBootArgs } from "../src/commands/boot.js";
import { main } from "../src/main.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));

async function shoal(argv: string[], stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    cwd: repo,
    stdin: Readable.from([stdin]),
    interactive: false,
  });
  return { code, out, err };
}

describe("shoal usage", () => {
  it.each([
    [["boot", "--cores", "zero"], /--cores: expected an integer of at least 1, got 'zero'/],
    [["boot", "--memory", "lots"], /--memory: expected a size like 256M or 1G, got 'lots'/],
    [["boot", "--frobnicate"], /unknown option '--frobnicate'/],
    [["boot", "--run"], /--run: which app\?/],
    [["boot", "--run", "no/such/app.mjs"], /--run: no such file: no\/such\/app.mjs/],
    [["reboot"], /unknown command 'reboot'/],
    [["boot", "--board", "cray-1"], /--board: which board\? \(amd-2x2, amd-4x4, amd-8x4, intel-2x4\)/],
    [["boot", "--no-skb", "--board", "amd-2x2"], /--board describes the SKB's machine: not with --no-skb/],
  ])("%j is a one-line usage error, exit 2", async (argv, text) => {
    const r = await shoal(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(text);
  });

  it("parses sizes and the app's own arguments", () => {
    const a = parseBootArgs(["--cores", "3", "--memory", "64M", "--run", "x.mjs", "--cores", "9"]);
    expect(a.cores).toBe(3);
    expect(a.memoryBytes).toBe(64 * 2 ** 20);
    expect(a.run).toEqual({ app: "x.mjs", args: ["--cores", "9"] });
  });
});

describe("shoal boot", () => {
  it("boots the SKB on core 0 as one stage, every core with its routes (--board, --no-skb)", async () => {
    const on = await shoal([
      "boot",
      "--cores",
      "4",
      "--memory",
      "64M",
      "--board",
      "amd-2x2",
      "--exec",
      "halt",
    ]);
    expect(on.code).toBe(0);
    expect(
      on.err.some((l) =>
        /^boot: skb: serving on core 0, routes at 4 of 4 cores \(\d+\.\d ms after core 0\)$/.test(l),
      ),
    ).toBe(true);
    expect(on.out.some((l) => /skb: serving 'skb' as iref \d+ on amd-2x2/.test(l))).toBe(true);
    const off = await shoal(["boot", "--cores", "2", "--memory", "64M", "--no-skb", "--exec", "halt"]);
    expect(off.code).toBe(0);
    expect(off.err.some((l) => /^boot: skb:/.test(l))).toBe(false);
  });

  it("--run returns the app's exit code after printing its console", async () => {
    const r = await shoal(["boot", "--cores", "3", "--memory", "64M", "--run", "examples/hello/main.mjs"]);
    expect(r.code).toBe(0);
    expect(r.out.filter((l) => /hello from domain/.test(l))).toHaveLength(3);
    expect(r.err.some((l) => /^boot: ready: 3 cores in/.test(l))).toBe(true);
  });

  it("--exec runs shell commands; a wrong one is one line", async () => {
    const r = await shoal([
      "boot",
      "--cores",
      "2",
      "--memory",
      "64M",
      "--quiet",
      "--exec",
      "cores; spawn --core 1 examples/hello-ts/main.ts; ping 1 5; kill nope; frob; ping 9; mem; halt",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("core 0: up");
    expect(r.out).toContain("core 1: up");
    expect(r.out.some((l) => /^spawned \d+ on core 1$/.test(l))).toBe(true);
    expect(r.out.some((l) => /^core 0 -> core 1: 5 round trips, median/.test(l))).toBe(true);
    expect(r.out).toContain("kill: kill ID: expected an integer, got 'nope'");
    expect(r.out).toContain("unknown command 'frob' (try help)");
    expect(r.out.some((l) => /^ping: core 9 does not exist/.test(l))).toBe(true);
    expect(r.out.some((l) => /^CORE\s+RAM MiB/.test(l))).toBe(true);
    expect(r.out.at(-1)).toBe("halted");
  });

  it("reads commands from standard input when it is not a terminal", async () => {
    const r = await shoal(["boot", "--cores", "1", "--memory", "64M", "--quiet"], "cores\nps\n");
    expect(r.code).toBe(0);
    // The cores' console lines (the SKB's domain booting on core 0) interleave with the commands' output.
    const out = r.out.filter((l) => !l.startsWith("[core "));
    expect(out[0]).toBe("core 0: up");
    expect(out[1]).toMatch(/^ID\s+NAME/);
  });

  it("caps ID lists a running domain's CSpace and mem shows RAM by type", async () => {
    // examples/shared-frame/peer.mjs serves until halted: the first domain of core 1 is 1 << 20 | 1.
    const r = await shoal([
      "boot",
      "--cores",
      "2",
      "--memory",
      "64M",
      "--quiet",
      "--exec",
      "spawn --core 1 examples/shared-frame/peer.mjs; caps 1048577; caps 5; mem; halt",
    ]);
    expect(r.code).toBe(0);
    const header = r.out.findIndex((l) => /^SLOT\s+TYPE\s+BASE\s+SIZE\s+RIGHTS/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(r.out[header + 1]).toMatch(/^0\.0\s+CNode\s+0x[0-9a-f]+\s+16384\s+rwxgi/);
    expect(r.out[header + 2]).toMatch(/^0\.1\s+Dispatcher\s+0x[0-9a-f]+\s+1024\s+rwxgi/);
    expect(r.out[header + 3]).toMatch(/^0\.2\s+VNode_x86_64_pml4/);
    expect(r.out.some((l) => l.startsWith("caps: ") && l.includes("5"))).toBe(true);
    expect(r.out.some((l) => /Dispatcher \d+/.test(l) && /CNode \d+/.test(l))).toBe(true);
  });
});
