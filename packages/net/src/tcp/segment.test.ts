import { describe, expect, it } from "vitest";
import { checksum, pseudoHeaderSum } from "../wire/checksum.js";
import { hex } from "../wire/hex.js";
import { ACK, flagNames, PSH, SYN, Tcp, type TcpRepr } from "./segment.js";

const SRC = 0x0a4d0001;
const DST = 0x0a4d0002;
// Computed independently (Python struct + an RFC 1071 sum): 10.77.0.1:49500 -> 10.77.0.2:80.
const SYN_BYTES =
  "c1 5c 00 50 01 02 03 04 00 00 00 00 80 02 ff ff 94 c2 00 00 02 04 05 b4 01 03 03 07 01 01 04 02";
const DATA_BYTES = "c1 5c 00 50 01 02 03 05 a0 b0 c0 d0 50 18 04 00 2c 24 00 00 68 65 6c 6c 6f";

function parse(b: Uint8Array): TcpRepr {
  const r = Tcp.parse(b, SRC, DST);
  if (typeof r === "string") throw new Error(`dropped: ${r}`);
  return r;
}

describe("TCP segment", () => {
  it("parses a SYN with MSS, window scale and SACK-permitted from bytes", () => {
    const r = parse(hex(SYN_BYTES));
    expect(r).toMatchObject({
      srcPort: 49500,
      dstPort: 80,
      seq: 0x01020304,
      ack: 0,
      flags: SYN,
      window: 65535,
    });
    expect(r.mss).toBe(1460);
    expect(r.windowScale).toBe(7);
    expect(r.sackPermitted).toBe(true);
    expect(r.payload.length).toBe(0);
  });

  it("parses data as a view into the frame, not a copy", () => {
    const b = hex(DATA_BYTES);
    const r = parse(b);
    expect(r.flags).toBe(ACK | PSH);
    expect(r.ack).toBe(0xa0b0c0d0);
    expect(new TextDecoder().decode(r.payload)).toBe("hello");
    expect(r.payload.buffer).toBe(b.buffer);
    expect(r.mss).toBeUndefined();
  });

  it("emits the same bytes it parsed", () => {
    for (const f of [SYN_BYTES, DATA_BYTES]) {
      const r = parse(hex(f));
      const out = new Uint8Array(Tcp.bufferLen(r));
      Tcp.emit(r, out, SRC, DST);
      expect([...out]).toEqual([...hex(f)]);
    }
  });

  it("round-trips every option combination", () => {
    for (const mss of [undefined, 536, 1460]) {
      for (const windowScale of [undefined, 0, 14]) {
        for (const sackPermitted of [undefined, true]) {
          const repr: TcpRepr = {
            srcPort: 1,
            dstPort: 2,
            seq: 0xfffffff0,
            ack: 0,
            flags: SYN,
            window: 1000,
            payload: Tcp.EMPTY,
            ...(mss !== undefined ? { mss } : {}),
            ...(windowScale !== undefined ? { windowScale } : {}),
            ...(sackPermitted ? { sackPermitted } : {}),
          };
          const out = new Uint8Array(Tcp.bufferLen(repr));
          Tcp.emit(repr, out, SRC, DST);
          expect(parse(out)).toEqual({ ...repr, payload: out.subarray(Tcp.headerLen(repr)) });
        }
      }
    }
  });

  it("drops truncated headers, lying data offsets, bad checksums and zero ports", () => {
    expect(Tcp.parse(hex(DATA_BYTES).subarray(0, 19), SRC, DST)).toBe("truncated");
    const small = hex(DATA_BYTES);
    small[12] = 0x40; // 16-byte header
    expect(Tcp.parse(small, SRC, DST)).toBe("bad-length");
    const big = hex(DATA_BYTES);
    big[12] = 0xf0; // 60 bytes claimed, 25 present
    expect(Tcp.parse(big, SRC, DST)).toBe("bad-length");
    const sum = hex(DATA_BYTES);
    sum[20] = (sum[20] as number) ^ 1;
    expect(Tcp.parse(sum, SRC, DST)).toBe("bad-checksum");
    expect(Tcp.parse(hex(DATA_BYTES), SRC, DST + 1)).toBe("bad-checksum");
    const zero: TcpRepr = {
      srcPort: 0,
      dstPort: 80,
      seq: 1,
      ack: 0,
      flags: SYN,
      window: 1,
      payload: Tcp.EMPTY,
    };
    const z = new Uint8Array(20);
    Tcp.emit(zero, z, SRC, DST);
    expect(Tcp.parse(z, SRC, DST)).toBe("bad-field");
  });

  it("drops SYN+FIN and SYN+RST", () => {
    for (const flags of [SYN | 0x01, SYN | 0x04]) {
      const r: TcpRepr = { srcPort: 1, dstPort: 80, seq: 1, ack: 0, flags, window: 1, payload: Tcp.EMPTY };
      const b = new Uint8Array(20);
      Tcp.emit(r, b, SRC, DST);
      expect(Tcp.parse(b, SRC, DST)).toBe("bad-field");
    }
  });

  /** A SYN whose option bytes are `opts` (padded to a word), checksum made valid. */
  function synWith(opts: number[]): Uint8Array {
    const padded = [...opts];
    while (padded.length % 4 !== 0) padded.push(0);
    const b = new Uint8Array(20 + padded.length);
    Tcp.emit(
      { srcPort: 1, dstPort: 80, seq: 9, ack: 0, flags: SYN, window: 5, payload: Tcp.EMPTY },
      b,
      SRC,
      DST,
    );
    b.set(padded, 20);
    b[12] = ((20 + padded.length) / 4) << 4;
    b[16] = 0;
    b[17] = 0;
    const sum = checksumOf(b);
    b[16] = sum >>> 8;
    b[17] = sum & 0xff;
    return b;
  }

  it("drops options that lie about their length", () => {
    expect(Tcp.parse(synWith([2, 0, 5, 180]), SRC, DST)).toBe("bad-option"); // length 0
    expect(Tcp.parse(synWith([2, 1, 5, 180]), SRC, DST)).toBe("bad-option"); // length 1
    expect(Tcp.parse(synWith([2, 3, 5]), SRC, DST)).toBe("bad-option"); // MSS of 3 bytes
    expect(Tcp.parse(synWith([1, 1, 3, 4, 7]), SRC, DST)).toBe("bad-option"); // window scale of 4 bytes
    expect(Tcp.parse(synWith([1, 1, 1, 254, 40]), SRC, DST)).toBe("bad-option"); // runs past the header
    expect(Tcp.parse(synWith([1, 1, 1, 2]), SRC, DST)).toBe("bad-option"); // kind with no length byte
  });

  it("skips unknown options and timestamps, stops at end-of-list, clamps window scale to 14", () => {
    const r = parse(synWith([99, 4, 0, 0, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 20, 0, 2, 4, 0, 1]));
    expect(r.windowScale).toBe(14);
    expect(r.mss).toBeUndefined(); // after end-of-list
  });

  it("names flags", () => {
    expect(flagNames(SYN | ACK)).toBe("SYN|ACK");
    expect(flagNames(0)).toBe("none");
  });
});

function checksumOf(b: Uint8Array): number {
  return checksum(b, 0, b.length, pseudoHeaderSum(SRC, DST, 6, b.length));
}
