// A test run leaves no thread behind: a worker whose only binding closes exits by itself (the runtime
// holds no handle once the last binding is closed), and this thread is left with no open port.
import { describe, expect, it } from "vitest";
import { connectPair, openChannel } from "../src/index.js";
import { PING, Recorder, TEST_INFO, until } from "./helpers/test-interface.js";
import { livePeers, spawnPeer } from "./helpers/workers.js";

function openPorts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;
}

describe.each(["urpc", "port"] as const)("no thread left behind (%s)", (transport) => {
  it("a worker exits on its own once the channel is closed, and no port stays open here", async () => {
    const portsBefore = openPorts();
    const [ea, eb] = connectPair(transport);
    const peer = spawnPeer("echo", eb);
    const ch = openChannel(ea);
    const rec = new Recorder();
    ch.open(TEST_INFO, rec);
    await peer.next((r) => r.ready === true);
    await ch.send(PING, 0, Uint32Array.of(5, 0), 2, null, null);
    await until(() => rec.seen.length === 1, 10_000, "the echo");
    await ch.close();
    // No terminate(): the worker must run out of work by itself.
    const code = await Promise.race([
      peer.exited,
      new Promise<string>((r) => setTimeout(() => r("still running"), 5_000)),
    ]);
    expect(code).toBe(0);
    expect(livePeers()).toBe(0);
    await until(() => openPorts() <= portsBefore, 2_000, "ports to close");
  });
});
