// The frames link between two domains: one end exports net_frames under a name and waits for the other
// to attach; the other looks it up, binds (asking for the ring size) and attaches. Each end gets a
// BatchDevice for its stack. Frames travel as message payloads (urpc across cores), batched.
import { NetFrames } from "@shoal/libshoal/interfaces/net_frames";
import { BatchDevice, parseMac } from "@shoal/net";

/**
 * How a link is laid out: `lines` per direction of the binding's urpc ring (the client asks, see
 * BindChannelOptions) and `batchBytes` per net_frames message (length prefixes included). 16 KiB
 * batches (about ten full frames) in a 4,096-line ring (224 KiB of payload per direction, the most urpc
 * allows) keep about fourteen batches in flight while the receiver's thread is not running: on this
 * loaded 2-CPU machine the two core threads rarely run at once, and what one can send before it waits for
 * the other is the ring. The old layout (a 32-line ring, under 2 KiB, so one full frame per message and
 * one message in flight) is `LEGACY_LINK`, kept for the bench's before/after rows.
 */
export const DEFAULT_LINK = { lines: 4096, batchBytes: 16384 };
/** The layout before bindings could ask for their ring size. */
export const LEGACY_LINK = { lines: 32, batchBytes: 1516 };

/** `"LINES:BATCH"` (an example's argument) as link options; the default for anything else. */
export function parseLink(text) {
  const m = /^(\d+):(\d+)$/.exec(text ?? "");
  return m === null ? DEFAULT_LINK : { lines: Number(m[1]), batchBytes: Number(m[2]) };
}

/** Bytes per message of the default layout (what other examples size their own buffers by). */
export const BATCH_BYTES = DEFAULT_LINK.batchBytes;

/** A MAC (text or 48-bit number) as the uint64 net_frames carries. */
export function macWord(mac) {
  return BigInt(typeof mac === "string" ? parseMac(mac) : mac);
}

/** Export net_frames as `name`; resolves with the device once a peer attached (the client sized the ring). */
export async function serveLink(self, name, link = DEFAULT_LINK) {
  let binding;
  const device = new BatchDevice(
    { send: (count, data) => (binding === undefined ? Promise.resolve() : binding.tx.frames(count, data)) },
    { batchBytes: link.batchBytes },
  );
  let attached;
  const ready = new Promise((resolve) => {
    attached = resolve;
  });
  const iref = await self.export(NetFrames, {
    rx: {
      frames(count, data) {
        device.deliverBatch(count, data);
      },
    },
    rpc: {
      attach(mac) {
        binding = this.binding;
        attached({ device, peerMac: Number(mac) });
        return { mtu: 1500, driver_mac: 0n };
      },
    },
  });
  await self.names.register(name, iref);
  return ready;
}

/** Bind to the link exported as `name` and attach with `mac`; resolves with this end's device. */
export async function connectLink(self, name, mac, link = DEFAULT_LINK) {
  const iref = await self.names.lookup(name, { timeoutMs: 10_000 });
  let device;
  const binding = await self.bind(
    NetFrames,
    iref,
    {
      rx: {
        frames(count, data) {
          device?.deliverBatch(count, data);
        },
      },
    },
    { lines: link.lines },
  );
  device = new BatchDevice(
    { send: (count, data) => binding.tx.frames(count, data) },
    { batchBytes: link.batchBytes },
  );
  const { mtu } = await binding.rpc.attach(macWord(mac));
  return { device, binding, mtu };
}
