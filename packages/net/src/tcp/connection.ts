/**
 * A TCP connection for code inside a domain, shaped after Node's `net.Socket` but promise-based:
 * `read()` resolves with the next bytes (null at end of stream), `write()` resolves once every byte is in
 * the send buffer (so awaiting it is the backpressure), `end()` sends FIN and resolves when the peer has
 * acknowledged it, `close()` also waits for the peer's FIN, `destroy()` resets. The socket underneath is
 * the pure state machine; this class only waits on its hooks and asks the stack to poll.
 */

import { NetError, type NetErrorCode } from "../errors.js";
import { formatIpv4 } from "../wire/address.js";
import { isSynchronized, type TcpSocket } from "./socket.js";

/** What a connection needs from its owner. */
export interface ConnectionHost {
  /** Ask for a poll soon (output is waiting). */
  schedule(): void;
}

const MESSAGES: Record<string, string> = {
  RESET: "connection reset by peer",
  REFUSED: "connection refused",
  TIMEOUT: "connection timed out",
  CLOSED: "connection closed",
};

/** The error a failed socket reports (one per code, with the four-tuple in the message). */
function failure(code: NetErrorCode, s: TcpSocket): NetError {
  const where = `${formatIpv4(s.remote.addr)}:${s.remote.port}`;
  return new NetError(code, `${MESSAGES[code] ?? code} (${where})`);
}

/** One connection. */
export class TcpConnection {
  /** Bytes handed to `write` and read by `read` so far. */
  bytesWritten = 0;
  bytesRead = 0;
  private waiters: (() => void)[] = [];
  private destroyed = false;

  constructor(
    readonly socket: TcpSocket,
    private readonly host: ConnectionHost,
  ) {
    const wake = () => this.wake();
    socket.hooks = { ...socket.hooks, onReadable: wake, onWritable: wake, onState: wake, onClosed: wake };
  }

  get remoteAddress(): string {
    return formatIpv4(this.socket.remote.addr);
  }
  get remotePort(): number {
    return this.socket.remote.port;
  }
  get localAddress(): string {
    return formatIpv4(this.socket.local.addr);
  }
  get localPort(): number {
    return this.socket.local.port;
  }
  /** The RFC 9293 state, for diagnostics. */
  get state(): string {
    return this.socket.state;
  }

  /** Resolves once the handshake completes; rejects with REFUSED or TIMEOUT. */
  async established(): Promise<void> {
    await this.until(() => {
      const st = this.socket.state;
      if (st === "CLOSED") throw this.error("CLOSED");
      return st !== "SYN-SENT" && st !== "SYN-RECEIVED";
    });
  }

  /** The next received bytes (at most `max`), or null once the peer has closed and all was read. */
  async read(max = 65536): Promise<Uint8Array | null> {
    const s = this.socket;
    let out: Uint8Array | null = null;
    await this.until(() => {
      if (s.recvQueued > 0) {
        out = new Uint8Array(Math.min(max, s.recvQueued));
        s.recv(out);
        this.bytesRead += out.length;
        this.host.schedule(); // the window may have opened
        return true;
      }
      if (s.peerFin) return true;
      if (s.state === "CLOSED") {
        if (s.error !== undefined && s.error !== "CLOSED") throw this.error("CLOSED");
        return true;
      }
      return false;
    });
    return out;
  }

  /** Queue all of `data`; resolves when the last byte is in the send buffer. */
  async write(data: Uint8Array): Promise<void> {
    const s = this.socket;
    let off = 0;
    await this.until(() => {
      if (!s.canSend || s.finQueued) throw this.error("CLOSED");
      const n = s.send(data.subarray(off));
      off += n;
      this.bytesWritten += n;
      if (n > 0) this.host.schedule();
      return off >= data.length;
    });
  }

  /** Close our side (FIN after the queued data); resolves when the peer has acknowledged the FIN. */
  async end(): Promise<void> {
    const s = this.socket;
    s.close();
    this.host.schedule();
    await this.until(() => {
      if (s.finAcked) return true;
      if (s.state === "CLOSED") {
        if (s.error !== undefined) throw this.error("CLOSED");
        return true;
      }
      return false;
    });
  }

  /** `end()`, then wait until the peer has closed too (TIME-WAIT or CLOSED). */
  async close(): Promise<void> {
    await this.end();
    await this.until(() => this.socket.state === "TIME-WAIT" || this.socket.state === "CLOSED");
  }

  /** Reset the connection (RST) and fail pending calls with CLOSED. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.socket.state !== "CLOSED") {
      this.socket.abort();
      this.host.schedule();
    }
    this.wake();
  }

  /** Turn keep-alive on (idle ms before the first probe) or off (0), as `net.Socket.setKeepAlive`. */
  setKeepAlive(enable: boolean, idleMs = 75_000): void {
    // The config object is this socket's own copy (tcpConfig makes one), so changing it touches no other.
    const c = this.socket.config as { keepAliveIdle: number };
    c.keepAliveIdle = enable ? Math.max(1, idleMs) : 0;
    this.host.schedule();
  }

  /** True until the socket is CLOSED or destroyed. */
  get isOpen(): boolean {
    return !this.destroyed && (isSynchronized(this.socket.state) || this.socket.state.startsWith("SYN"));
  }

  private error(fallback: NetErrorCode): NetError {
    return failure(this.destroyed ? "CLOSED" : (this.socket.error ?? fallback), this.socket);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Re-check `ready` after every hook until it returns true (or throws). */
  private async until(ready: () => boolean): Promise<void> {
    for (;;) {
      if (this.destroyed) throw this.error("CLOSED");
      if (ready()) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}
