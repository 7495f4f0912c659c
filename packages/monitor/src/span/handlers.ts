/**
 * The span messages of intermon, as the receiving monitor serves them: start or stop a spanned
 * dispatcher here, and (on a domain's home core) map, unmap or protect in the domain's tree, or
 * (on any core) flush the TLB for a shootdown.
 */
import type { CapRef } from "@shoal/runtime";
import type { Monitor } from "../core/monitor.js";
import { encodeErr } from "./spans.js";

/** The rpc handlers of the span block of intermon.if, for the channel to core `k`. */
export function spanHandlers(m: Monitor, k: number) {
  return {
    span_start: async (home: number, pml4: bigint, path: string, entry: string, args: string) => {
      try {
        const start = { home, homeCore: k, pml4: Number(pml4), entry };
        const id = await m.domains.spawn(path, JSON.parse(args) as string[], home, k, start);
        return { dispatcher: id, err: "" };
      } catch (e) {
        return { dispatcher: 0, err: e instanceof Error ? e.message : String(e) };
      }
    },
    span_stop: (home: number, reason: string) => ({ stopped: m.spans.stopLocal(home, `stopped: ${reason}`) }),
    span_map: (home: number, frame: CapRef, write: number) => {
      try {
        const r = m.spans.homeMap(home, frame, write);
        return { vaddr: BigInt(r.vaddr), bytes: BigInt(r.bytes), writable: r.writable ? 1 : 0, err: "" };
      } catch (e) {
        return { vaddr: 0n, bytes: 0n, writable: 0, err: encodeErr(e) };
      }
    },
    span_unmap: async (home: number, vaddr: bigint) => {
      try {
        await m.spans.homeChange(home, Number(vaddr), "unmap", false);
        return { err: "" };
      } catch (e) {
        return { err: encodeErr(e) };
      }
    },
    span_protect: async (home: number, vaddr: bigint, write: number) => {
      try {
        await m.spans.homeChange(home, Number(vaddr), "protect", write !== 0);
        return { err: "" };
      } catch (e) {
        return { err: encodeErr(e) };
      }
    },
    span_tlb_flush: (home: number, base: bigint, pages: number) => {
      void home;
      void base;
      void pages;
      // The core's software TLB has no invalidate-page: a flush drops the range with the rest.
      m.cpu.tlb.flush();
      return { flushed: 1 };
    },
  };
}
