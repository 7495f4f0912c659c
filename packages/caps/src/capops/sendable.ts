/**
 * Which capability types may travel to another core. One small table, as the retype rules are.
 *
 * A mapping capability names an entry of a page table of this core's MMU; the kernel, IRQ table
 * and Null capabilities describe this core's CPU driver itself; none of them means anything on
 * another core.
 */
const NOT_SENDABLE: ReadonlySet<string> = new Set([
  "Null",
  "Kernel",
  "IRQTable",
  "Frame_Mapping",
  "DevFrame_Mapping",
  "VNode_x86_64_pml4_Mapping",
  "VNode_x86_64_pdpt_Mapping",
  "VNode_x86_64_pdir_Mapping",
  "VNode_x86_64_ptable_Mapping",
]);

/** True if a capability of `type` may be copied to another core. */
export function isSendable(type: string): boolean {
  return !NOT_SENDABLE.has(type) && !type.endsWith("_Mapping");
}
