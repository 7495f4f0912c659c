// A UDP throughput flow with a credit window (the sink acknowledges every ACK_EVERY datagrams), so the
// sender measures what the receiver takes, not a receiver drowning. Used by the net-loopback example and
// the net bench.

/** Datagrams sent and not yet acknowledged before the source waits. */
export const WINDOW = 512;
/** The sink acknowledges after this many datagrams. */
export const ACK_EVERY = 64;
/** Datagrams handed to the stack at once. */
const BURST = 16;
/** A window that does not move for this long counts its datagrams as lost. */
const STALL_MS = 200;

/** Receive on `port` until an "end" datagram; ack counts back to the sender. Resolves with counts. */
export async function udpSink(stack, port) {
  const sock = stack.createUdpSocket({ receiveQueue: 4096 });
  await sock.bind(port);
  let received = 0;
  let bytes = 0;
  const ack = new Uint8Array(8);
  const view = new DataView(ack.buffer);
  const fin = new Uint8Array(9); // the answer to "end": the final count, one byte longer
  const finView = new DataView(fin.buffer);
  for (;;) {
    const m = await sock.receive();
    if (m === undefined) break;
    if (m.data.length === 3 && m.data.toString() === "end") {
      finView.setFloat64(0, received);
      await sock.send(fin, m.rinfo.port, m.rinfo.address).catch(() => {});
      received = 0;
      bytes = 0;
      continue;
    }
    received++;
    bytes += m.data.length;
    if (received % ACK_EVERY === 0) {
      view.setFloat64(0, received);
      await sock.send(ack, m.rinfo.port, m.rinfo.address).catch(() => {});
    }
  }
  return { received, bytes };
}

/** Send `count` datagrams of `size` bytes to address:port; resolves with the measurement. */
export async function udpSource(stack, address, port, count, size) {
  const sock = stack.createUdpSocket({ receiveQueue: 4096 });
  await sock.bind(0);
  const payload = new Uint8Array(size).fill(0x5a);
  let acked = 0;
  let wake;
  let final;
  const acks = (async () => {
    for (;;) {
      const m = await sock.receive();
      if (m === undefined) return;
      const n = new DataView(m.data.buffer, m.data.byteOffset, 8).getFloat64(0);
      if (m.data.length === 9) final = n;
      else acked = Math.max(acked, n);
      wake?.();
      if (final !== undefined) return;
    }
  })();
  const t0 = performance.now();
  let sent = 0;
  let lostBase = 0;
  while (sent < count) {
    if (sent - lostBase - acked >= WINDOW) {
      const moved = await new Promise((resolve) => {
        const t = setTimeout(() => resolve(false), STALL_MS);
        wake = () => {
          clearTimeout(t);
          resolve(true);
        };
      });
      wake = undefined;
      if (!moved) lostBase = sent - acked; // the window's datagrams are lost: reopen it
      continue;
    }
    // A burst of sends without waiting between them: the stack emits them in one poll, and the device
    // carries that poll's frames as one message.
    const burst = Math.min(BURST, WINDOW - (sent - lostBase - acked), count - sent);
    let last;
    for (let i = 0; i < burst; i++) {
      last = sock.send(payload, port, address);
      last.catch(() => {});
    }
    try {
      await last;
      sent += burst;
    } catch {
      sent += burst; // counted as sent; what the stack refused shows as lost
      await new Promise((r) => setImmediate(r)); // send queue full: let the stack drain
    }
  }
  // Ask for the final count (again, if the question or its answer is lost).
  for (let tries = 0; tries < 20 && final === undefined; tries++) {
    const answered = new Promise((resolve) => {
      wake = resolve;
    });
    await sock.send("end", port, address).catch(() => {});
    await Promise.race([answered, new Promise((r) => setTimeout(r, 100))]);
  }
  const seconds = (performance.now() - t0) / 1000;
  await sock.close();
  await acks;
  const received = final ?? acked;
  return { sent, received, seconds, mbitPerS: (received * size * 8) / seconds / 1e6 };
}
