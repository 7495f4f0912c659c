/**
 * TCP on a running `NetStack`: the promise-based `net`-like API. `new TcpNet(stack)` registers a
 * `TcpLayer` with the stack (which then polls it) and hands out servers and connections.
 */

import { NetError } from "../errors.js";
import type { NetStack } from "../socket/stack.js";
import { parseIpv4 } from "../wire/address.js";
import type { TcpConfig } from "./config.js";
import { TcpConnection } from "./connection.js";
import { TcpLayer } from "./layer.js";
import { TcpServer } from "./server.js";

/** Options of `TcpNet`. */
export interface TcpNetOptions {
  /** Defaults for every socket (buffer sizes, timers). */
  readonly config?: Partial<TcpConfig>;
  readonly isnSecret?: number;
}

/** Where to connect. */
export interface TcpConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly localPort?: number;
  readonly config?: Partial<TcpConfig>;
}

/** The TCP API of one stack. */
export class TcpNet {
  readonly layer: TcpLayer;
  private readonly servers = new Set<TcpServer>();
  private readonly host = { schedule: () => this.stack.schedule() };

  constructor(
    readonly stack: NetStack,
    options: TcpNetOptions = {},
  ) {
    this.layer = new TcpLayer({
      ...(options.config !== undefined ? { config: options.config } : {}),
      ...(options.isnSecret !== undefined ? { isnSecret: options.isnSecret } : {}),
      onWork: () => this.stack.schedule(),
    });
    stack.addProtocol(this.layer);
  }

  /** Listen on `port` (`backlog`: handshakes in progress, default 128). */
  listen(port: number, options: { backlog?: number; config?: Partial<TcpConfig> } = {}): TcpServer {
    if (this.stack.isClosed) throw new NetError("CLOSED", "the stack is closed");
    const server = new TcpServer(this.host);
    server.attach(this.layer.listen(port, (s) => server.deliver(s), options));
    this.servers.add(server);
    server.once("close", () => this.servers.delete(server));
    return server;
  }

  /** Open a connection; resolves once established, rejects with REFUSED or TIMEOUT. */
  async connect(options: TcpConnectOptions): Promise<TcpConnection> {
    const c = this.open(options);
    await c.established();
    return c;
  }

  /** Start a connection without waiting for the handshake (for the duplex adapter). */
  open(options: TcpConnectOptions): TcpConnection {
    if (this.stack.isClosed) throw new NetError("CLOSED", "the stack is closed");
    const s = this.layer.connect(parseIpv4(options.host), options.port, {
      now: this.stack.clock(),
      ...(options.localPort !== undefined ? { localPort: options.localPort } : {}),
      ...(options.config !== undefined ? { config: options.config } : {}),
    });
    this.stack.schedule();
    return new TcpConnection(s, this.host);
  }

  /** Close every server and reset every connection of this layer. */
  close(): void {
    for (const s of [...this.servers]) s.close();
    for (const s of [...this.layer.connections]) s.abort();
    this.stack.schedule();
  }
}
