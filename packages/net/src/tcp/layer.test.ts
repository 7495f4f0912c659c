import { describe, expect, it } from "vitest";
import type { IpOut, IpResolved, L4Tx } from "../iface/l4.js";
import { TcpLayer } from "./layer.js";
import { LinkSim, SIM_A_IP, SIM_B_IP } from "./link-sim.js";
import { ACK, RST, SYN, Tcp, type TcpRepr } from "./segment.js";
import type { TcpSocket } from "./socket.js";

const PEER = 0x0a4d0001;
const US = 0x0a4d0002;

/** An L4Tx that records each emitted segment, parsed back from the bytes it wrote. */
function captureTx(): L4Tx & { segs: TcpRepr[] } {
  const segs: TcpRepr[] = [];
  return {
    maxPayload: 1480,
    segs,
    emit(ip: IpOut, n: number, write: (payload: Uint8Array, ip: IpResolved) => void) {
      const buf = new Uint8Array(n);
      const resolved = { src: ip.src === 0 ? US : ip.src, dst: ip.dst };
      write(buf, resolved);
      const r = Tcp.parse(buf, resolved.src, resolved.dst);
      if (typeof r === "string") throw new Error(`emitted a bad segment: ${r}`);
      segs.push(r);
      return "sent";
    },
  };
}

function wire(repr: TcpRepr, src = PEER, dst = US): Uint8Array {
  const b = new Uint8Array(Tcp.bufferLen(repr));
  Tcp.emit(repr, b, src, dst);
  return b;
}

const syn = (fields: Partial<TcpRepr> = {}): TcpRepr => ({
  srcPort: 40000,
  dstPort: 80,
  seq: 5000,
  ack: 0,
  flags: SYN,
  window: 1000,
  payload: Tcp.EMPTY,
  ...fields,
});

describe("TcpLayer", () => {
  it("answers a SYN to a closed port with RST|ACK acknowledging it", () => {
    const l = new TcpLayer({ isnSecret: 1 });
    const tx = captureTx();
    expect(l.input(0, { src: PEER, dst: US, protocol: 6, ttl: 64 }, wire(syn()), tx)).toBe("accepted");
    expect(tx.segs).toMatchObject([{ srcPort: 80, dstPort: 40000, seq: 0, ack: 5001, flags: RST | ACK }]);
    expect(l.stats.noSocket).toBe(1);
    expect(l.stats.resetsSent).toBe(1);
  });

  it("never answers an RST with an RST", () => {
    const l = new TcpLayer();
    const tx = captureTx();
    l.input(0, { src: PEER, dst: US, protocol: 6, ttl: 64 }, wire(syn({ flags: RST })), tx);
    expect(tx.segs).toEqual([]);
  });

  it("counts and reports malformed segments instead of throwing", () => {
    const l = new TcpLayer();
    const tx = captureTx();
    const b = wire(syn());
    b[4] = (b[4] as number) ^ 0xff;
    expect(l.input(0, { src: PEER, dst: US, protocol: 6, ttl: 64 }, b, tx)).toBe("bad-checksum");
    expect(l.input(0, { src: PEER, dst: US, protocol: 6, ttl: 64 }, b.subarray(0, 10), tx)).toBe("truncated");
    expect(l.stats.drops).toEqual({ "bad-checksum": 1, truncated: 1 });
    expect(tx.segs).toEqual([]);
  });

  it("spawns a connection per SYN on a listener, within the backlog", () => {
    const l = new TcpLayer({ isnSecret: 1 });
    const tx = captureTx();
    l.listen(80, () => {}, { backlog: 1 });
    const ip = { src: PEER, dst: US, protocol: 6, ttl: 64 };
    l.input(0, ip, wire(syn()), tx);
    l.dispatch(0, tx);
    expect(tx.segs).toMatchObject([{ flags: SYN | ACK, ack: 5001, mss: 1460 }]);
    l.input(0, ip, wire(syn({ srcPort: 40001 })), tx);
    expect(l.stats.backlogDrops).toBe(1);
    expect([...l.connections].length).toBe(1);
  });

  it("refuses a second listener on a port and bad ports", () => {
    const l = new TcpLayer();
    l.listen(80, () => {});
    expect(() => l.listen(80, () => {})).toThrow(/already listening/);
    expect(() => l.listen(0, () => {})).toThrow(/port must be/);
    expect(() => l.connect(PEER, 70000)).toThrow(/port must be/);
  });

  it("different ISNs for different four-tuples and later times (RFC 6528)", () => {
    const l = new TcpLayer({ isnSecret: 42 });
    expect(l.isn(0, 1, PEER, 80)).not.toBe(l.isn(0, 2, PEER, 80));
    expect((l.isn(1000, 1, PEER, 80) - l.isn(0, 1, PEER, 80)) >>> 0).toBe(250_000);
  });
});

describe("TcpLayer over a link", () => {
  it("connects, exchanges data both ways and closes; the passive closer is removed at once, TIME-WAIT after 2·MSL", () => {
    const sim = new LinkSim();
    let server: TcpSocket | undefined;
    sim.tcpB.listen(7, (s) => {
      server = s;
    });
    const c = sim.tcpA.connect(SIM_B_IP, 7);
    expect(sim.run(() => c.state === "ESTABLISHED" && server !== undefined)).toBe(true);
    expect(server?.remote).toEqual({ addr: SIM_A_IP, port: c.local.port });
    c.send(new TextEncoder().encode("ping"));
    const buf = new Uint8Array(16);
    expect(sim.run(() => (server?.recvQueued ?? 0) === 4)).toBe(true);
    server?.recv(buf);
    server?.send(new TextEncoder().encode("pong"));
    expect(sim.run(() => c.recvQueued === 4)).toBe(true);
    c.close();
    expect(sim.run(() => server?.state === "CLOSE-WAIT")).toBe(true);
    server?.close();
    expect(sim.run(() => server?.state === "CLOSED" && c.state === "TIME-WAIT")).toBe(true);
    expect([...sim.tcpB.connections].length).toBe(0);
    expect([...sim.tcpA.connections].length).toBe(1); // TIME-WAIT stays for 2·MSL
    expect(sim.run(() => c.state === "CLOSED")).toBe(true);
    expect(sim.now).toBeGreaterThanOrEqual(60_000);
  });

  it("a connect to a port nobody listens on is refused", () => {
    const sim = new LinkSim();
    const c = sim.tcpA.connect(SIM_B_IP, 9);
    expect(sim.run(() => c.state === "CLOSED")).toBe(true);
    expect(c.error).toBe("REFUSED");
    expect(sim.tcpB.stats.resetsSent).toBe(1);
  });

  it("a reset from the peer reaches the other end", () => {
    const sim = new LinkSim();
    let server: TcpSocket | undefined;
    sim.tcpB.listen(7, (s) => {
      server = s;
    });
    const c = sim.tcpA.connect(SIM_B_IP, 7);
    sim.run(() => server !== undefined);
    server?.abort();
    expect(sim.run(() => c.state === "CLOSED")).toBe(true);
    expect(c.error).toBe("RESET");
  });

  it("keeps TIME-WAIT connections aside until 2·MSL, then forgets them all", () => {
    const sim = new LinkSim({ config: { msl: 1000 } });
    const servers: TcpSocket[] = [];
    sim.tcpB.listen(7, (s) => {
      servers.push(s);
    });
    const clients = Array.from({ length: 50 }, () => sim.tcpA.connect(SIM_B_IP, 7));
    expect(sim.run(() => servers.length === 50)).toBe(true);
    for (const c of clients) c.close();
    expect(sim.run(() => servers.every((s) => s.state === "CLOSE-WAIT"))).toBe(true);
    for (const s of servers) s.close();
    expect(sim.run(() => clients.every((c) => c.state === "TIME-WAIT"))).toBe(true);
    const closedAt = sim.now;
    expect(sim.tcpA.connections.length).toBe(50);
    expect(sim.run(() => sim.tcpA.connections.length === 0)).toBe(true);
    expect(sim.now - closedAt).toBeLessThanOrEqual(2000);
    expect(clients.every((c) => c.state === "CLOSED" && c.error === undefined)).toBe(true);
    expect(sim.tcpA.pollAt(sim.now)).toBe(Number.POSITIVE_INFINITY);
  });

  it("simultaneous open and simultaneous close between two layers", () => {
    const sim = new LinkSim({ config: { msl: 500 } });
    const a = sim.tcpA.connect(SIM_B_IP, 6000, { localPort: 5000 });
    const b = sim.tcpB.connect(SIM_A_IP, 5000, { localPort: 6000 });
    const states = new Set<string>();
    a.hooks.onState = (st) => states.add(st);
    expect(sim.run(() => a.state === "ESTABLISHED" && b.state === "ESTABLISHED")).toBe(true);
    expect(states.has("SYN-RECEIVED")).toBe(true);
    a.send(new TextEncoder().encode("x"));
    b.send(new TextEncoder().encode("y"));
    expect(sim.run(() => a.recvQueued === 1 && b.recvQueued === 1)).toBe(true);
    const bStates = new Set<string>();
    b.hooks.onState = (st) => bStates.add(st);
    a.close();
    b.close();
    expect(sim.run(() => a.state === "CLOSED" && b.state === "CLOSED")).toBe(true);
    // The FINs crossed: b got a's FIN in FIN-WAIT-1 (CLOSING); a got b's FIN with the ACK of its own.
    expect(bStates.has("CLOSING")).toBe(true);
    expect(states.has("TIME-WAIT")).toBe(true);
    expect(a.error).toBeUndefined();
    expect(b.error).toBeUndefined();
  });
});
