// A TCP bulk flow with an integrity check: the source writes `total` bytes (slices of a random block at
// moving offsets, so the stream does not repeat with a short period) and half-closes; the sink reads to
// the end, hashes what it got and answers with the byte count and the SHA-256. The source compares them
// with its own count and hash. Used by examples/net-tcp-bulk and the net bench's tcp_bulk row.
import { createHash, randomBytes } from "node:crypto";

/** Bytes per write (the writer awaits each: that is the backpressure). */
export const CHUNK = 64 * 1024;
/** Socket buffers of both ends (the receive buffer is the window; window scaling covers it). */
export const TCP_BUFFER = 256 * 1024;
/** The sink's answer: 8 bytes of count (float64), 32 of digest. */
const ANSWER = 40;

/** Accept one connection on `port`, read it to the end, answer with count and SHA-256. */
export async function tcpSink(tcp, port) {
  const server = tcp.listen(port);
  const conn = await server.accept();
  const hash = createHash("sha256");
  let bytes = 0;
  for (;;) {
    const chunk = await conn.read(TCP_BUFFER);
    if (chunk === null) break;
    hash.update(chunk);
    bytes += chunk.length;
  }
  const answer = new Uint8Array(ANSWER);
  new DataView(answer.buffer).setFloat64(0, bytes);
  answer.set(hash.digest(), 8);
  await conn.write(answer);
  await conn.end();
  server.close();
  return { bytes };
}

/** Connect to address:port, send `total` bytes, read the answer; resolves with the measurement. */
export async function tcpSource(tcp, address, port, total) {
  const conn = await tcp.connect({ host: address, port });
  const block = randomBytes(1 << 20);
  const hash = createHash("sha256");
  const t0 = performance.now();
  let sent = 0;
  for (let i = 0; sent < total; i++) {
    const at = (i * 40_503) % (block.length - CHUNK);
    const slice = block.subarray(at, at + Math.min(CHUNK, total - sent));
    hash.update(slice);
    await conn.write(slice);
    sent += slice.length;
  }
  await conn.end();
  const parts = [];
  let got = 0;
  for (;;) {
    const chunk = await conn.read(ANSWER);
    if (chunk === null) break;
    parts.push(chunk);
    got += chunk.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const answer = Buffer.concat(parts, got);
  const sha256 = hash.digest("hex");
  const received = got === ANSWER ? answer.readDoubleBE(0) : -1;
  const sinkSha256 = got === ANSWER ? answer.subarray(8).toString("hex") : "";
  return {
    sent,
    received,
    sha256,
    sinkSha256,
    intact: received === sent && sinkSha256 === sha256,
    seconds,
    mbitPerS: (received * 8) / seconds / 1e6,
  };
}
