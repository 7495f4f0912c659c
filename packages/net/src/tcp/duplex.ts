/**
 * A `stream.Duplex` over a `TcpConnection` with the parts of `net.Socket` that Node's HTTP code and
 * similar libraries touch (addresses, `setNoDelay`, `setKeepAlive`, `setTimeout`, `ref`/`unref`), so
 * `http.Server` can be handed one with `server.emit("connection", duplex)` and `http.request` can use one
 * through `createConnection`.
 */

import { Duplex } from "node:stream";
import type { TcpConnection } from "./connection.js";

/** A Node-style socket over the stack. */
export class TcpDuplex extends Duplex {
  readonly remoteFamily = "IPv4";
  private reading = false;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(readonly conn: TcpConnection) {
    super({ allowHalfOpen: true });
    conn.established().then(
      () => this.emit("connect"),
      (e: Error) => this.destroy(e),
    );
  }

  get remoteAddress(): string {
    return this.conn.remoteAddress;
  }
  get remotePort(): number {
    return this.conn.remotePort;
  }
  get localAddress(): string {
    return this.conn.localAddress;
  }
  get localPort(): number {
    return this.conn.localPort;
  }
  get bytesRead(): number {
    return this.conn.bytesRead;
  }
  get bytesWritten(): number {
    return this.conn.bytesWritten;
  }

  /** As `net.Socket.address()`. */
  address(): { address: string; family: "IPv4"; port: number } {
    return { address: this.localAddress, family: "IPv4", port: this.localPort };
  }

  override _read(size: number): void {
    if (this.reading) return;
    this.reading = true;
    this.conn.read(Math.max(size, 16 * 1024)).then(
      (chunk) => {
        this.reading = false;
        this.touch();
        if (chunk === null) this.push(null);
        else if (this.push(chunk)) this._read(size);
      },
      (e: Error) => {
        this.reading = false;
        this.destroy(e);
      },
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.touch();
    this.conn.write(chunk).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.conn.end().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clearIdle();
    this.conn.destroy();
    callback(error);
  }

  /** Nagle is not implemented (segments go as soon as the window allows): a no-op, as `net.Socket`'s. */
  setNoDelay(_noDelay = true): this {
    return this;
  }

  setKeepAlive(enable = false, initialDelay = 0): this {
    this.conn.setKeepAlive(enable, initialDelay > 0 ? initialDelay : undefined);
    return this;
  }

  /** Emit `"timeout"` after `ms` without reads or writes (0 turns it off), as `net.Socket.setTimeout`. */
  setTimeout(ms: number, callback?: () => void): this {
    this.idleMs = ms;
    if (callback !== undefined) this.once("timeout", callback);
    this.touch();
    return this;
  }

  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  private touch(): void {
    this.clearIdle();
    if (this.idleMs > 0 && !this.destroyed) {
      this.idleTimer = setTimeout(() => this.emit("timeout"), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
