/**
 * The environment @shoal/agreement's round engines run in on a monitor: messages carried over the
 * intermon mesh, the clock and timers of the core's thread. TLB shootdown (shootdown.ts) and the
 * two-phase commit of retypes (capops/retype-2pc.ts) differ only in the intermon messages that carry
 * a round's Wire messages, which `carry` sends.
 */
import type { CoreEnv, Verdict, Wire } from "@shoal/agreement";
import type { Monitor } from "../core/monitor.js";

/** A peer monitor's binding, as `Monitor.peer` gives it. */
export type Peer = ReturnType<Monitor["peer"]>;

/** A CoreEnv of monitor `m` whose messages to core `to` go out through `carry(peer, msg)`. */
export function intermonEnv(m: Monitor, carry: (peer: Peer, msg: Wire) => void): CoreEnv {
  const send = (to: number, msg: Wire): void => {
    let p: Peer;
    try {
      p = m.peer(to);
    } catch {
      return; // a dead core: its interrupt fails the round (peerDied)
    }
    carry(p, msg);
  };
  return {
    core: m.core,
    send,
    publish: (to, msg) => {
      for (const c of to) send(c, msg);
    },
    now: () => performance.now() * 1e6,
    setTimer: (ns, fire) => {
      const t = setTimeout(fire, ns / 1e6);
      return { cancel: () => clearTimeout(t) };
    },
  };
}

/** A verdict as an up message's last four fields: ok, the failing core, its reason and text (bounded). */
export function verdictFields(v: Verdict): [ok: number, core: number, reason: string, text: string] {
  return v.ok ? [1, 0, "", ""] : [0, v.core, v.reason.slice(0, 255), v.message.slice(0, 1000)];
}
