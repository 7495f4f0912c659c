/**
 * Parsers for the small text formats of Linux's /sys and /proc. Each returns undefined (never throws)
 * on text it cannot read, so discovery can report the file and carry on.
 */

/** A CPU list such as `0-3,8,10-11` (sysfs `*_list`, `online`). */
export function parseCpuList(text: string): number[] | undefined {
  const t = text.trim();
  if (t === "") return [];
  const out: number[] = [];
  for (const part of t.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from > 65536) return undefined;
    for (let i = from; i <= to; i++) out.push(i);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** A cache size such as `32K`, `1024K`, `8M` (sysfs `cache/index*\/size`), in bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*([KMG]?)B?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? "").toUpperCase();
  const mult = unit === "K" ? 1024 : unit === "M" ? 1024 ** 2 : unit === "G" ? 1024 ** 3 : 1;
  return Number(m[1]) * mult;
}

/** A non-negative decimal integer file (`physical_package_id`, `core_id`, `level`). */
export function parseUint(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A hexadecimal integer file (`block_size_bytes`). */
export function parseHex(text: string): number | undefined {
  const t = text.trim().replace(/^0x/i, "");
  if (!/^[0-9a-f]+$/i.test(t)) return undefined;
  const n = Number.parseInt(t, 16);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A node's `distance` file: space-separated integers, one per node. */
export function parseDistances(text: string): number[] | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts.length === 0 || parts[0] === "") return undefined;
  const out = parts.map((p) => parseUint(p));
  return out.every((n) => n !== undefined) ? (out as number[]) : undefined;
}

/** `MemTotal` of a node's `meminfo` (`Node 0 MemTotal:  24000000 kB`), in bytes. */
export function parseNodeMemTotal(text: string): number | undefined {
  const m = /MemTotal:\s*(\d+)\s*kB/i.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** One processor entry of /proc/cpuinfo. */
export interface CpuInfoEntry {
  readonly processor: number;
  readonly vendor?: string;
  readonly model?: string;
  readonly mhz?: number;
  readonly physicalId?: number;
  readonly coreId?: number;
  readonly apicId?: number;
}

/** /proc/cpuinfo (x86 layout; other architectures give fewer fields, which is fine). */
export function parseCpuInfo(text: string): CpuInfoEntry[] {
  const out: CpuInfoEntry[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split("\n")) {
      const i = line.indexOf(":");
      if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const processor = parseUint(fields.get("processor") ?? "");
    if (processor === undefined) continue;
    const mhz = Number.parseFloat(fields.get("cpu mhz") ?? "");
    const entry: Record<string, string | number> = { processor };
    const vendor = fields.get("vendor_id");
    const model = fields.get("model name");
    const physicalId = parseUint(fields.get("physical id") ?? "");
    const coreId = parseUint(fields.get("core id") ?? "");
    const apicId = parseUint(fields.get("apicid") ?? "");
    if (vendor) entry.vendor = vendor;
    if (model) entry.model = model;
    if (Number.isFinite(mhz)) entry.mhz = Math.round(mhz);
    if (physicalId !== undefined) entry.physicalId = physicalId;
    if (coreId !== undefined) entry.coreId = coreId;
    if (apicId !== undefined) entry.apicId = apicId;
    out.push(entry as unknown as CpuInfoEntry);
  }
  return out;
}
