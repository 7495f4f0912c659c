/**
 * A listening socket for code inside a domain, after Node's `net.Server`: connections are taken with
 * `await server.accept()` (or `for await`), or from `"connection"` events when someone listens for them.
 */

import { EventEmitter } from "node:events";
import { NetError } from "../errors.js";
import { type ConnectionHost, TcpConnection } from "./connection.js";
import type { TcpListener } from "./layer.js";
import type { TcpSocket } from "./socket.js";

/** Events of a server. */
export interface TcpServerEvents {
  connection: [conn: TcpConnection];
  close: [];
}

/** A listening port on a stack. */
export class TcpServer extends EventEmitter<TcpServerEvents> {
  private readonly queue: TcpConnection[] = [];
  private readonly waiting: { resolve(c: TcpConnection): void; reject(e: Error): void }[] = [];
  private listener: TcpListener | undefined;
  private closed = false;

  constructor(private readonly host: ConnectionHost) {
    super();
  }

  /** Called by TcpNet with the layer's listener. */
  attach(l: TcpListener): void {
    this.listener = l;
  }

  /** The port listened on. */
  get port(): number {
    return this.listener?.port ?? 0;
  }

  /** As `net.Server.address()`. */
  address(): { address: string; family: "IPv4"; port: number } {
    return { address: "0.0.0.0", family: "IPv4", port: this.port };
  }

  /** A socket completed its handshake (from the layer). */
  deliver(s: TcpSocket): void {
    const c = new TcpConnection(s, this.host);
    const w = this.waiting.shift();
    if (w !== undefined) w.resolve(c);
    else if (this.listenerCount("connection") > 0) this.emit("connection", c);
    else this.queue.push(c);
  }

  /** The next connection. Rejects with CLOSED once the server is closed. */
  accept(): Promise<TcpConnection> {
    const c = this.queue.shift();
    if (c !== undefined) return Promise.resolve(c);
    if (this.closed) return Promise.reject(new NetError("CLOSED", "server is closed"));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TcpConnection> {
    for (;;) {
      try {
        yield await this.accept();
      } catch {
        return;
      }
    }
  }

  /** Stop listening; connections already accepted stay open, queued ones are reset. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listener?.close();
    for (const c of this.queue.splice(0)) c.destroy();
    for (const w of this.waiting.splice(0)) w.reject(new NetError("CLOSED", "server is closed"));
    this.emit("close");
  }
}
