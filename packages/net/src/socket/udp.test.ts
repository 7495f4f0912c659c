import { describe, expect, it } from "vitest";
import { LINUX_IP, STACK_IP } from "../../test/fixtures.js";
import { udpDatagram } from "../../test/harness.js";
import { isNetError } from "../errors.js";
import type { EmitResult, L4Tx } from "../iface/l4.js";
import { type UdpInput, UdpLayer } from "./udp.js";

const ip = { src: LINUX_IP, dst: STACK_IP, protocol: 17, ttl: 64 };

function fakeTx(retained: boolean, results: EmitResult[] = []): L4Tx & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    maxPayload: 1480,
    payloadsRetained: retained,
    sent,
    emit(_ip, n, write) {
      const r = results.shift() ?? "sent";
      if (r !== "sent" && r !== "queued") return r;
      const b = new Uint8Array(n);
      write(b, { src: STACK_IP, dst: LINUX_IP });
      sent.push(b);
      return r;
    },
  };
}

describe("UdpLayer", () => {
  it("hands out a view of the frame when the device never reuses frames, else a copy", () => {
    for (const retained of [true, false]) {
      const layer = new UdpLayer();
      const got: UdpInput[] = [];
      layer.bind(7, { onDatagram: (d) => got.push(d) });
      const frame = udpDatagram(1000, 7, Uint8Array.of(1, 2, 3));
      expect(layer.input(0, ip, frame, fakeTx(retained))).toBe("accepted");
      const d = got[0] as UdpInput;
      expect(Array.from(d.data)).toEqual([1, 2, 3]);
      expect(d.data.buffer === frame.buffer).toBe(retained);
      expect(d).toMatchObject({ src: LINUX_IP, srcPort: 1000, dst: STACK_IP });
    }
  });

  it("keeps queued datagrams after no-buffer and retries them later; reports other failures", () => {
    const layer = new UdpLayer();
    const ep = layer.bind(5000, { onDatagram: () => {} });
    const results: EmitResult[] = [];
    ep.send(Uint8Array.of(1), LINUX_IP, 9, (r) => results.push(r));
    ep.send(Uint8Array.of(2), LINUX_IP, 9, (r) => results.push(r));
    const tx = fakeTx(false, ["no-buffer"]);
    layer.dispatch(0, tx);
    expect(tx.sent).toHaveLength(0);
    expect(layer.pollAt(0)).toBe(1);
    layer.dispatch(0.5, tx);
    expect(tx.sent).toHaveLength(0);
    layer.dispatch(1, tx);
    expect(tx.sent).toHaveLength(2);
    expect(results).toEqual(["sent", "sent"]);
    expect(layer.pollAt(1)).toBe(Number.POSITIVE_INFINITY);
    ep.send(Uint8Array.of(3), LINUX_IP, 9, (r) => results.push(r));
    layer.dispatch(2, fakeTx(false, ["unreachable"]));
    expect(results[2]).toBe("unreachable");
    expect(layer.stats).toMatchObject({ txDatagrams: 2, txErrors: 1 });
  });

  it("binds ephemeral ports, refuses duplicates and frees ports on close", () => {
    const layer = new UdpLayer();
    const a = layer.bind(0, { onDatagram: () => {} });
    const b = layer.bind(0, { onDatagram: () => {} });
    expect(a.port).toBeGreaterThanOrEqual(49152);
    expect(b.port).not.toBe(a.port);
    expect(() => layer.bind(a.port, { onDatagram: () => {} })).toThrow(/already bound/);
    try {
      layer.bind(70000, { onDatagram: () => {} });
      expect.unreachable();
    } catch (e) {
      expect(isNetError(e, "BAD_OPTION")).toBe(true);
    }
    a.close();
    expect(layer.bind(a.port, { onDatagram: () => {} }).port).toBe(a.port);
    expect(layer.input(0, ip, udpDatagram(1, 4444, new Uint8Array(0)), fakeTx(false))).toBe(
      "port-unreachable",
    );
  });
});
