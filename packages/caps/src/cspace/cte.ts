/**
 * Field access to CTEs in physical memory, by CTE number. One object per core, holding the views;
 * every accessor is a typed-array read or write (no allocation).
 */
import type { PhysicalMemory } from "../physmem/physical-memory.js";
import {
  CTE_F64S,
  CTE_WORDS,
  F_BASE,
  F_MDB_END,
  F_SIZE,
  INFO_FLAGS_SHIFT,
  INFO_LEVEL_SHIFT,
  INFO_RIGHTS_SHIFT,
  INFO_TYPE_MASK,
  NIL,
  W_BADGE,
  W_INFO,
  W_LEFT,
  W_OWNER,
  W_RIGHT,
} from "./cte-layout.js";

/** Reads and writes CTE fields. */
export class CteStore {
  readonly mem: PhysicalMemory;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;

  constructor(mem: PhysicalMemory) {
    this.mem = mem;
    this.u32 = mem.u32;
    this.f64 = mem.f64;
  }

  type(c: number): number {
    return (this.u32[c * CTE_WORDS + W_INFO] as number) & INFO_TYPE_MASK;
  }
  rights(c: number): number {
    return ((this.u32[c * CTE_WORDS + W_INFO] as number) >>> INFO_RIGHTS_SHIFT) & 0xff;
  }
  flags(c: number): number {
    return ((this.u32[c * CTE_WORDS + W_INFO] as number) >>> INFO_FLAGS_SHIFT) & 0xff;
  }
  level(c: number): number {
    return (this.u32[c * CTE_WORDS + W_INFO] as number) >>> INFO_LEVEL_SHIFT;
  }
  base(c: number): number {
    return this.f64[c * CTE_F64S + F_BASE] as number;
  }
  size(c: number): number {
    return this.f64[c * CTE_F64S + F_SIZE] as number;
  }
  /** base + size. */
  end(c: number): number {
    const i = c * CTE_F64S;
    return (this.f64[i + F_BASE] as number) + (this.f64[i + F_SIZE] as number);
  }
  mdbEnd(c: number): number {
    return this.f64[c * CTE_F64S + F_MDB_END] as number;
  }
  owner(c: number): number {
    return this.u32[c * CTE_WORDS + W_OWNER] as number;
  }
  badge(c: number): number {
    return this.u32[c * CTE_WORDS + W_BADGE] as number;
  }
  left(c: number): number {
    return this.u32[c * CTE_WORDS + W_LEFT] as number;
  }
  right(c: number): number {
    return this.u32[c * CTE_WORDS + W_RIGHT] as number;
  }
  word(c: number, w: number): number {
    return this.u32[c * CTE_WORDS + w] as number;
  }

  setRights(c: number, rights: number): void {
    const i = c * CTE_WORDS + W_INFO;
    this.u32[i] = ((this.u32[i] as number) & ~(0xff << INFO_RIGHTS_SHIFT)) | (rights << INFO_RIGHTS_SHIFT);
  }
  setFlags(c: number, flags: number): void {
    const i = c * CTE_WORDS + W_INFO;
    this.u32[i] = ((this.u32[i] as number) & ~(0xff << INFO_FLAGS_SHIFT)) | (flags << INFO_FLAGS_SHIFT);
  }
  setLevel(c: number, level: number): void {
    const i = c * CTE_WORDS + W_INFO;
    this.u32[i] = (((this.u32[i] as number) & 0x00ff_ffff) | (level << INFO_LEVEL_SHIFT)) >>> 0;
  }
  setMdbEnd(c: number, end: number): void {
    this.f64[c * CTE_F64S + F_MDB_END] = end;
  }
  setOwner(c: number, owner: number): void {
    this.u32[c * CTE_WORDS + W_OWNER] = owner;
  }
  setBadge(c: number, badge: number): void {
    this.u32[c * CTE_WORDS + W_BADGE] = badge;
  }
  setLeft(c: number, l: number): void {
    this.u32[c * CTE_WORDS + W_LEFT] = l;
  }
  setRight(c: number, r: number): void {
    this.u32[c * CTE_WORDS + W_RIGHT] = r;
  }
  setWord(c: number, w: number, value: number): void {
    this.u32[c * CTE_WORDS + w] = value;
  }

  /** Writes a fresh capability into an empty CTE (not yet in the MDB). */
  write(
    c: number,
    type: number,
    base: number,
    size: number,
    rights: number,
    badge: number,
    owner: number,
  ): void {
    const w = c * CTE_WORDS;
    this.u32.fill(0, w, w + CTE_WORDS);
    const f = c * CTE_F64S;
    this.f64[f + F_BASE] = base;
    this.f64[f + F_SIZE] = size;
    this.f64[f + F_MDB_END] = base + size;
    this.u32[w + W_INFO] = type | (rights << INFO_RIGHTS_SHIFT) | (1 << INFO_LEVEL_SHIFT);
    this.u32[w + W_OWNER] = owner;
    this.u32[w + W_BADGE] = badge;
    this.u32[w + W_LEFT] = NIL;
    this.u32[w + W_RIGHT] = NIL;
  }

  /** Copies all fields but the MDB links and level from `src` to the empty CTE `dst`. */
  copyTo(src: number, dst: number): void {
    const s = src * CTE_WORDS;
    const d = dst * CTE_WORDS;
    // A plain loop: copyWithin is a builtin call costing more than 16 word moves.
    const u = this.u32;
    for (let i = 0; i < CTE_WORDS; i++) u[d + i] = u[s + i] as number;
    this.u32[d + W_LEFT] = NIL;
    this.u32[d + W_RIGHT] = NIL;
    this.setLevel(dst, 1);
    this.setMdbEnd(dst, this.end(dst));
  }

  /** Empties a CTE (type Null, all zero). */
  clear(c: number): void {
    const w = c * CTE_WORDS;
    const u = this.u32;
    for (let i = 0; i < CTE_WORDS; i++) u[w + i] = 0;
  }
}
