// The frames link between two domains: one end exports net_frames under a name and waits for the other
// to attach; the other looks it up, binds and attaches. Each end gets a BatchDevice for its stack. Frames
// travel as message payloads (urpc across cores); shared-frame payloads wait for the Domain API's frames.
import { NetFrames } from "@shoal/libshoal/interfaces/net_frames";
import { BatchDevice, parseMac } from "@shoal/net";

/**
 * Bytes per message: one full frame. A binding's urpc ring is 32 cache lines (under 2 KiB) per direction;
 * a message longer than the ring makes the sender wait for the receiver's index line by line: 16 KiB
 * batches measured no faster than single frames here (bigger batches want bigger binding rings).
 */
export const BATCH_BYTES = 1516;

/** A MAC (text or 48-bit number) as the uint64 net_frames carries. */
export function macWord(mac) {
  return BigInt(typeof mac === "string" ? parseMac(mac) : mac);
}

/** Export net_frames as `name`; resolves with the device once a peer attached. */
export async function serveLink(self, name) {
  let binding;
  const device = new BatchDevice(
    { send: (count, data) => (binding === undefined ? Promise.resolve() : binding.tx.frames(count, data)) },
    { batchBytes: BATCH_BYTES },
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
export async function connectLink(self, name, mac) {
  const iref = await self.names.lookup(name, { timeoutMs: 10_000 });
  let device;
  const binding = await self.bind(NetFrames, iref, {
    rx: {
      frames(count, data) {
        device?.deliverBatch(count, data);
      },
    },
  });
  device = new BatchDevice(
    { send: (count, data) => binding.tx.frames(count, data) },
    { batchBytes: BATCH_BYTES },
  );
  const { mtu } = await binding.rpc.attach(macWord(mac));
  return { device, binding, mtu };
}
