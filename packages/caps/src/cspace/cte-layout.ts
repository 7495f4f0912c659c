/**
 * The byte layout of a capability table entry (CTE): 64 bytes in physical memory, one per CNode
 * slot. Every offset the kernel uses is named here and only here.
 *
 * A CTE is referred to by its number: physical address / 64 (a u32 for memory up to 256 GiB).
 *
 * ```
 * byte  0  f64  base      object base (physical address, or first vector/port/id)      ┐ exact integers
 * byte  8  f64  size      object size in bytes (or count of vectors/ports/ids)          │ < 2^53, read
 * byte 16  f64  mdbEnd    MDB augmentation: the largest base + size in this subtree     ┘ in one load
 * byte 24  u32  info      bits 0-7 type · 8-15 rights · 16-23 flags · 24-31 AA-tree level
 * byte 28  u32  owner     the core that owns the object
 * byte 32  u32  badge     badge (endpoints; 0 = none)
 * byte 36  u32  left      MDB left child (CTE number, NIL = none)
 * byte 40  u32  right     MDB right child
 * byte 44  u32  aux0      type-specific (mapping: page-table base / 4096)
 * byte 48  u32  aux1      type-specific (mapping: first entry | entry count << 16)
 * byte 52  u32  aux2      type-specific (mapping: offset into the mapped object / 4096)
 * byte 56  u32  aux3      type-specific (mapping: the mapped cap's rights at map time, then page flags << 8)
 * byte 60  u32  aux4      type-specific (mapping: the mapped object's size / 4096)
 * ```
 *
 * Barrelfish keeps base and size as 64-bit integers; doubles hold the same values exactly up to
 * 2^53 and are read without BigInt, which PERF-NOTES measured as 2.3x slower on hot paths.
 */

/** Bytes per CTE. */
export const CTE_SIZE = 64;
/** log2(CTE_SIZE). */
export const CTE_SHIFT = 6;
/** u32 words per CTE. */
export const CTE_WORDS = 16;
/** f64 slots per CTE. */
export const CTE_F64S = 8;
/** Slots of an L2 CNode (8 bits of a CSpace address). */
export const L2_SLOTS = 256;
/** Bytes of an L2 CNode. */
export const L2_CNODE_BYTES = L2_SLOTS * CTE_SIZE;

/** f64 index (within the CTE's 8) of the object base. */
export const F_BASE = 0;
/** f64 index of the object size. */
export const F_SIZE = 1;
/** f64 index of the MDB subtree's largest end address. */
export const F_MDB_END = 2;

/** u32 index (within the CTE's 16) of the info word: type, rights, flags, AA level. */
export const W_INFO = 6;
/** u32 index of the owning core. */
export const W_OWNER = 7;
/** u32 index of the badge. */
export const W_BADGE = 8;
/** u32 index of the MDB left link. */
export const W_LEFT = 9;
/** u32 index of the MDB right link. */
export const W_RIGHT = 10;
/** u32 index of the first type-specific word. */
export const W_AUX0 = 11;
/** u32 index of the second type-specific word. */
export const W_AUX1 = 12;
/** u32 index of the third type-specific word. */
export const W_AUX2 = 13;
/** u32 index of the fourth type-specific word. */
export const W_AUX3 = 14;

/** u32 index of the fifth type-specific word. */
export const W_AUX4 = 15;

/** The info word's fields. */
export const INFO_TYPE_MASK = 0xff;
/** Shift of the rights byte. */
export const INFO_RIGHTS_SHIFT = 8;
/** Shift of the flags byte. */
export const INFO_FLAGS_SHIFT = 16;
/** Shift of the AA-tree level byte. */
export const INFO_LEVEL_SHIFT = 24;

/** Flag: other cores may hold copies (Barrelfish `remote_copies`). */
export const FLAG_REMOTE_COPIES = 1;
/** Flag: other cores may hold descendants (`remote_descs`). */
export const FLAG_REMOTE_DESCS = 2;
/** Flag: other cores may hold ancestors (`remote_ancs`). */
export const FLAG_REMOTE_ANCS = 4;
/** Flag: a distributed operation holds this CTE (`locked`). */
export const FLAG_LOCKED = 8;
/** Flag: the CTE is being deleted (`in_delete`). */
export const FLAG_IN_DELETE = 16;
/** The three remote-relation flags. */
export const FLAG_REMOTE_MASK = FLAG_REMOTE_COPIES | FLAG_REMOTE_DESCS | FLAG_REMOTE_ANCS;

/** The null CTE number (no link). */
export const NIL = 0xffff_ffff;
