// The NIC driver domain: owns the machine's network device (the TAP bridged by socat to a UDP socket,
// packages/net/scripts/tap-netns.sh) and serves applications' stacks over net_frames. It is a learning
// switch with one port per attached stack and one to the wire: frames from the wire go to the stack
// whose MAC they name (broadcast and multicast to all); frames from a stack go to the wire, and to
// another attached stack when it is the one named. It runs no protocol itself.
//
// args: [socatPort, localPort = 0, name = "net-driver"]. Logs "driver: wire port N" once up.
import { NetFrames } from "@shoal/libshoal/interfaces/net_frames";
import { BatchDevice, UdpTunnelDevice } from "@shoal/net";
import { BATCH_BYTES } from "../net-common/link.mjs";

/** The 48-bit destination MAC of a frame, or -1 for broadcast and multicast (group bit set). */
function destination(f) {
  if (((f[0] ?? 1) & 1) === 1) return -1;
  return ((f[0] << 8) | f[1]) * 2 ** 32 + (((f[2] << 24) | (f[3] << 16) | (f[4] << 8) | f[5]) >>> 0);
}

export default async function main(self, args) {
  const socatPort = Number(args[0]);
  const localPort = Number(args[1] ?? 0);
  const name = args[2] ?? "net-driver";
  const wire = await UdpTunnelDevice.open({ localPort, remotePort: socatPort });
  /** Attached stacks: binding -> { mac, device }. */
  const ports = new Map();
  const stats = { fromWire: 0, toWire: 0, switched: 0, unknownDst: 0 };

  const copyTo = (dev, f, now) => dev.transmit(now, f.length, (v) => v.set(f));
  let queued = false;
  const pump = () => {
    queued = false;
    const now = performance.now();
    for (let f = wire.receive(now); f !== undefined; f = wire.receive(now)) {
      stats.fromWire++;
      const dst = destination(f);
      let hit = false;
      for (const p of ports.values()) {
        if (dst === -1 || dst === p.mac) {
          copyTo(p.device, f, now);
          hit = true;
        }
      }
      if (!hit) stats.unknownDst++;
    }
    for (const from of ports.values()) {
      for (let f = from.device.receive(now); f !== undefined; f = from.device.receive(now)) {
        const dst = destination(f);
        for (const p of ports.values()) {
          if (p !== from && (dst === -1 || dst === p.mac)) {
            copyTo(p.device, f, now);
            stats.switched++;
          }
        }
        if (copyTo(wire, f, now)) stats.toWire++;
      }
    }
  };
  const schedule = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(pump);
  };
  wire.setWaker(schedule);

  const iref = await self.export(NetFrames, {
    rx: {
      frames(count, data) {
        ports.get(this.binding)?.device.deliverBatch(count, data);
      },
    },
    rpc: {
      attach(mac) {
        const binding = this.binding;
        const device = new BatchDevice(
          { send: (count, data) => binding.tx.frames(count, data) },
          { batchBytes: BATCH_BYTES },
        );
        device.setWaker(schedule);
        ports.set(binding, { mac: Number(mac), device });
        self.log(`driver: stack ${Number(mac).toString(16).padStart(12, "0")} attached`);
        return { mtu: 1500, driver_mac: 0n };
      },
    },
  });
  await self.names.register(name, iref);
  self.log(`driver: wire port ${wire.port}, serving '${name}' on core ${self.core}`);
  // A driver lives until the system halts.
  return new Promise(() => {});
}
