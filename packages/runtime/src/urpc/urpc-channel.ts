/**
 * A urpc channel end: two cache-line rings in shared memory (one per direction), polled by this
 * thread's dispatcher. Flow control is an epoch bit in each line's control word plus a consumer index
 * on its own cache line (see layout.ts and docs/urpc-flow-control.md). The endpoint's MessagePort only
 * carries the doorbell at setup and signals the end of the peer (closed, or its thread died).
 */
import type { MessagePort } from "node:worker_threads";
import type { CapRef } from "../caps.js";
import type { InterfaceInfo, Receiver } from "../channel.js";
import {
  bindMismatch,
  ChannelBase,
  fingerprintHex,
  fingerprintWords,
  NO_CAPS,
  NO_RUNS,
  RESOLVED,
} from "../core/channel-base.js";
import { dispatcher, type Pollable, traffic } from "../dispatcher/dispatcher.js";
import { DOORBELL_SLEEPING, doorbellAt, ring, ringIfSleeping } from "../dispatcher/doorbell.js";
import type { UrpcEndpoint } from "../endpoint.js";
import { ShoalError } from "../errors.js";
import { DEFAULT_RECEIVE_BUDGET } from "../options.js";
import {
  BIND_WORDS,
  CONTROL_WORD,
  CTRL_CAPS,
  CTRL_EPOCH,
  CTRL_FIRST,
  CTRL_LAST,
  CTRL_LINE_MASK,
  CTRL_LINE_SHIFT,
  CTRL_MSGNUM_MASK,
  CTRL_SLEEPING,
  FIRST_MSGNUM,
  LINE_WORDS,
  MSGNUM_BIND,
  MSGNUM_RPC_ERROR,
  PAYLOAD_WORDS,
  TOKEN_WORD,
} from "../protocol.js";
import { Assembler, type AssemblerHost, type AssemblerStats, type MessageShape } from "./assembler.js";
import { capRecordRun, receivedCaps } from "./cap-record.js";
import {
  CLOSE_ABANDONED,
  CLOSE_CLOSED,
  CLOSE_DIED,
  CLOSE_MISMATCH,
  consumerWord,
  memoryBytes,
  ringBase,
  W_BELL,
  W_CLAIMED,
  W_CLOSED,
  W_TX_WAITING,
} from "./layout.js";
import { Outgoing } from "./outgoing.js";
import { sharesMemory } from "./shares-memory.js";

/** The fast-path tables of a channel whose interface is not open yet: every number misses. */
const NO_TABLE = new Uint8Array(0);

/** Control bits that must read exactly FIRST | LAST (line 0, no caps) for the one-line fast path. */
const ONE_LINE_MASK = CTRL_FIRST | CTRL_LAST | CTRL_CAPS | (CTRL_LINE_MASK << CTRL_LINE_SHIFT);
const ONE_LINE = CTRL_FIRST | CTRL_LAST;
/** The same bits read exactly FIRST (line 0, more lines follow, no caps) for the several-line fast path. */
const FIRST_OF_SEVERAL = CTRL_FIRST;

const BIND_SHAPE: MessageShape = { lines: 1, overflow: [] };
/** Bound of the text of a remote rpc failure. */
export const RPC_ERROR_TEXT_BYTES = 1024;
const RPC_ERROR_SHAPE: MessageShape = { lines: 0, overflow: [RPC_ERROR_TEXT_BYTES] };

/** urpc channels opened in this thread, by `id:side` (same-thread peers exchange caps directly). */
const local = new Map<string, UrpcChannel>();

/** Port messages of a urpc connection. */
interface BellMessage {
  readonly t: "bell";
  readonly bell: Int32Array;
}

/** One end of a urpc connection, opened in this thread. */
export class UrpcChannel extends ChannelBase implements Pollable, AssemblerHost {
  readonly transport = "urpc" as const;
  override readonly words: Uint32Array;
  /**
   * The same memory as int32: every atomic goes through this view. Control words have bit 31 set (the
   * epoch); read from a Uint32Array they are not small integers, and each Atomics call on them boxed a
   * heap number: measured 1.36x the raw round trip for a bare ring against 1.05-1.09x with int32 values.
   */
  private readonly ctl: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly ep: UrpcEndpoint;
  private readonly port: MessagePort | null;
  /** True while peerGone drains what the peer published last (its polls must not re-enter it). */
  private goingAway = false;
  private readonly lines: number;
  private readonly mask: number;
  private readonly key: string;
  private readonly peerKey: string;
  private readonly sendQueue: number;
  // Producer state (this side's ring). `sent` counts lines modulo 2^32, kept as int32 like every counter
  // that goes through an atomic (differences are taken with `| 0`).
  private readonly txBase: number;
  private txPos = 0;
  private txEpoch = CTRL_EPOCH | 0;
  private sent = 0;
  /** Last consumer index of the peer read from shared memory; re-read only when it says "full". */
  private ackCache = 0;
  private readonly ackWord: number;
  private queue: Outgoing[] = [];
  private qHead = 0;
  private txWaiting = false;
  // Consumer state (the peer's ring).
  private readonly rxBase: number;
  private rxPos = 0;
  /** Word index of the control word of the slot at rxPos: the word the dispatcher's idle polls load. */
  private rxAt: number;
  /** True while poll's hot path may run: open, nothing queued, not waiting for room, no message half read. */
  private plain = true;
  /** The control word marked CTRL_SLEEPING before the dispatcher blocked (-1: none), and its value. */
  private sleepMark = -1;
  private sleepValue = 0;
  private rxEpoch = CTRL_EPOCH | 0;
  private consumed = 0;
  private published = 0;
  private readonly ackEvery: number;
  private readonly myAckWord: number;
  private readonly assembler: Assembler;
  /** ConnectOptions.receiveBudget: the most bytes of runs one message may carry, both ways. */
  private readonly budget: number;
  /** Caps sent by a same-thread peer, in message order. */
  readonly capInbox: (readonly CapRef[])[] = [];
  // Waking the peer.
  private peerBell: Int32Array | null = null;
  private fpWords: Uint32Array | null = null;
  /**
   * 1 for each message number whose messages are one line with no overflow (the fast path's table).
   * Sized to the interface when it opens: a number past its end reads undefined, which is "not one line"
   * (a full 64 Ki-entry table per channel was 128 KiB of zeroed memory each, the bulk of a 64-core boot's
   * mesh setup).
   */
  private oneLine: Uint8Array = NO_TABLE;
  /** Lines of each message number whose messages are 2..255 lines of fixed words only, else 0 or past the end. */
  private fixedLines: Uint8Array = NO_TABLE;
  /** Free lines canSend asks for: the most lines of any fixed-size message (capped by the ring). */
  private sendableLines = 1;

  constructor(ep: UrpcEndpoint) {
    super();
    // checkEndpoint (at openChannel) has validated the memory, the region's size and offset, lines and
    // the port. Every view covers just the connection's region: indices are the same wherever it lives.
    const offset = ep.offset ?? 0;
    const bytes = memoryBytes(ep.lines);
    const words = new Uint32Array(ep.memory, offset, bytes / 4);
    if (Atomics.compareExchange(words, W_CLAIMED + ep.side, 0, 1) !== 0) {
      throw new ShoalError("BAD_ENDPOINT", `urpc endpoint ${ep.id} side ${ep.side} is already bound`);
    }
    this.ep = ep;
    this.words = words;
    this.ctl = new Int32Array(ep.memory, offset, bytes / 4);
    this.bytes = new Uint8Array(ep.memory, offset, bytes);
    this.port = ep.port ?? null;
    this.lines = ep.lines;
    this.mask = ep.lines - 1;
    this.sendQueue = ep.sendQueue;
    this.key = `${ep.id}:${ep.side}`;
    this.peerKey = `${ep.id}:${1 - ep.side}`;
    this.txBase = ringBase(ep.side, ep.lines);
    this.rxBase = ringBase(1 - ep.side, ep.lines);
    this.rxAt = this.rxBase + CONTROL_WORD;
    this.ackWord = consumerWord(1 - ep.side);
    this.myAckWord = consumerWord(ep.side);
    this.ackEvery = Math.max(1, ep.lines >> 2);
    this.budget = ep.receiveBudget ?? DEFAULT_RECEIVE_BUDGET;
    this.assembler = new Assembler(words, this, this.budget);
    local.set(this.key, this);
    // Where this side's doorbell is, for a peer without a port: in this memory, if it lives there.
    const bell = dispatcher().doorbell;
    // (A uint32: physical memory may be several GiB; the doorbell sits in its first 4 GiB.)
    if (bell.byteOffset < 0xffffffff && sharesMemory(bell, ep.memory))
      Atomics.store(words, W_BELL + ep.side, 1 + bell.byteOffset);
    this.findPeerBell();
    const port = this.port;
    if (port !== null) {
      // The port is the liveness signal: 'close' fires when the peer closes or its thread exits.
      port.on("message", (m: BellMessage) => this.portMessage(m));
      port.on("close", () => this.peerGone());
      port.postMessage({ t: "bell", bell } satisfies BellMessage);
    } else {
      // No port keeps the event loop alive for this channel, and liveness is closed[peer] (final polls).
      dispatcher().holdOpen(1);
    }
  }

  /**
   * Looks for the peer's doorbell in the connection's memory (where a core's doorbell lives in physical
   * memory); rings it once when found late, for what was published before this side knew where to ring.
   */
  private findPeerBell(): Int32Array | null {
    if (this.peerBell !== null) return this.peerBell;
    const at = Atomics.load(this.words, W_BELL + 1 - this.ep.side);
    if (at === 0) return null;
    const bell = doorbellAt(this.ep.memory, at - 1);
    this.peerBell = bell;
    return bell;
  }

  // ---- producer -------------------------------------------------------------------------------

  /**
   * True when `n` lines from txPos on may be written now (never overwriting a line the peer has not
   * consumed). The peer's consumer line is touched only when the cached index says short: re-reading it
   * on every send would put a cache miss on the path.
   */
  private freeLines(n: number): boolean {
    if (((this.sent - this.ackCache) | 0) + n <= this.lines) return true;
    this.ackCache = Atomics.load(this.ctl, this.ackWord);
    return ((this.sent - this.ackCache) | 0) + n <= this.lines;
  }

  /** True when a send now would not queue: open, nothing queued (`plain` says both in one check). */
  private mayWrite(): boolean {
    return this.plain || (!this.closed && this.qHead === this.queue.length);
  }

  /**
   * True when the largest fixed-size message of the interface fits now ({@link sendableLines} free
   * lines): what canSend promises. With one free line only, a two-line message would go to the queue
   * (a promise and a copy) and the sender would wait for it, message after message.
   */
  private hasRoom(): boolean {
    return this.freeLines(this.sendableLines);
  }

  tryLine(): number {
    if (!this.mayWrite() || !this.freeLines(1)) return -1;
    return this.txBase + (this.txPos << 4);
  }

  publish(num: number, token: number): void {
    const w = this.words;
    const b = this.txBase + (this.txPos << 4);
    w[b + TOKEN_WORD] = token;
    // Publishes the line: payload and token were plain stores before this sequentially consistent one.
    this.publishControl(b + CONTROL_WORD, this.txEpoch | CTRL_FIRST | CTRL_LAST | num);
    this.advanceTx(1);
  }

  override tryLines(n: number): number {
    // n consecutive free lines that do not wrap round the ring's end.
    if (!this.mayWrite() || this.txPos + n > this.lines || !this.freeLines(n)) return -1;
    return this.txBase + (this.txPos << 4);
  }

  override publishLines(num: number, token: number, n: number): void {
    const w = this.words;
    const ctl = this.ctl;
    const b = this.txBase + (this.txPos << 4);
    const head = this.txEpoch | num;
    // Lines 1..n-1 first, with plain stores: the receiver reads them only after it has seen line 0
    // (lines are consumed in ring order; tryLines made sure they do not wrap, so one epoch for all).
    for (let k = 1; k < n; k++) {
      const at = b + (k << 4);
      w[at + TOKEN_WORD] = token;
      ctl[at + CONTROL_WORD] =
        head | ((k & CTRL_LINE_MASK) << CTRL_LINE_SHIFT) | (k === n - 1 ? CTRL_LAST : 0);
    }
    w[b + TOKEN_WORD] = token;
    // Publishes the message: everything above was a plain store before this sequentially consistent one.
    this.publishControl(b + CONTROL_WORD, head | CTRL_FIRST);
    this.advanceTx(n);
  }

  /** Moves the write position `n` lines on (n <= lines, so it wraps at most once) and counts one send. */
  private advanceTx(n: number): void {
    traffic.sent = (traffic.sent + 1) | 0;
    this.sent = (this.sent + n) | 0;
    this.txPos = (this.txPos + n) & this.mask;
    if (this.txPos < n) this.txEpoch ^= CTRL_EPOCH;
  }

  /**
   * Publishes a control word with one sequentially consistent exchange: its old value says whether the
   * receiver marked the slot before blocking (CTRL_SLEEPING), and then its doorbell is rung. The
   * receiver marks the slot first and polls once more after, so either that poll sees this message or
   * this exchange sees the mark (docs/urpc-flow-control.md, "Waking a blocked receiver").
   */
  private publishControl(index: number, value: number): void {
    if ((Atomics.exchange(this.ctl, index, value) & CTRL_SLEEPING) !== 0) {
      const bell = this.peerBell ?? this.findPeerBell();
      if (bell !== null) ring(bell);
    }
  }

  /**
   * Rings the peer's doorbell if its dispatcher sleeps: for what is not a ring message (this side waits
   * for room and needs the peer's consumer index).
   */
  private wakePeer(): void {
    const bell = this.peerBell ?? this.findPeerBell();
    // Sequentially consistent load after the publishing store (lost wake-up note in doorbell.ts).
    if (bell !== null && Atomics.load(bell, DOORBELL_SLEEPING) !== 0) ring(bell);
  }

  /** Writes as many lines of `m` as fit; true when it is completely in the ring. */
  private write(m: Outgoing): boolean {
    const w = this.words;
    while (!m.done) {
      if (!this.freeLines(1)) return false;
      const b = this.txBase + (this.txPos << 4);
      const k = m.line;
      m.fill(w, this.bytes, b);
      w[b + TOKEN_WORD] = m.token;
      let c = this.txEpoch | ((k & CTRL_LINE_MASK) << CTRL_LINE_SHIFT) | m.num;
      if (k === 0) c |= m.caps ? CTRL_FIRST | CTRL_CAPS : CTRL_FIRST;
      if (m.done) c |= CTRL_LAST;
      this.publishControl(b + CONTROL_WORD, c);
      this.advanceTx(1);
    }
    return true;
  }

  /**
   * Writes every line of `m` when all of them are free now, with plain stores, and publishes the message
   * with one store of its first control word, last (as publishLines; the lines may wrap round the ring,
   * each then carries its own lap's epoch). False, with nothing written, when the ring lacks room.
   */
  private writeAll(m: Outgoing): boolean {
    const n = m.total;
    if (!this.freeLines(n)) return false;
    const w = this.words;
    const ctl = this.ctl;
    const first = this.txBase + (this.txPos << 4) + CONTROL_WORD;
    let firstControl = 0;
    let pos = this.txPos;
    let epoch = this.txEpoch;
    for (let k = 0; k < n; k++) {
      const b = this.txBase + (pos << 4);
      m.fill(w, this.bytes, b);
      w[b + TOKEN_WORD] = m.token;
      let c = epoch | ((k & CTRL_LINE_MASK) << CTRL_LINE_SHIFT) | m.num;
      if (k === n - 1) c |= CTRL_LAST;
      if (k === 0) firstControl = c | (m.caps ? CTRL_FIRST | CTRL_CAPS : CTRL_FIRST);
      else ctl[b + CONTROL_WORD] = c;
      pos = (pos + 1) & this.mask;
      if (pos === 0) epoch ^= CTRL_EPOCH;
    }
    // Publishes the message: every line above was plain stores before this sequentially consistent one.
    this.publishControl(first, firstControl);
    this.advanceTx(n);
    return true;
  }

  /** Moves queued messages into the ring; true when it wrote anything. */
  private flush(): boolean {
    let progress = false;
    const q = this.queue;
    while (this.qHead < q.length) {
      const m = q[this.qHead] as Outgoing;
      const before = m.line;
      const done = this.write(m);
      if (m.line !== before) progress = true;
      if (!done) break;
      this.qHead++;
      m.resolve?.();
    }
    if (this.qHead === q.length) {
      this.queue = [];
      this.qHead = 0;
      this.updatePlain();
      // whenSendable waiters still need the receiver to publish its index: keep the flag for them.
      if (!this.hasSendWaiters()) this.setTxWaiting(false);
      if (progress) this.wakeSendable();
    } else if (!this.txWaiting) {
      this.setTxWaiting(true);
      // The peer may have consumed everything between our check and the flag: look once more.
      if (this.freeLines(1)) return this.flush() || progress;
    }
    return progress;
  }

  /**
   * Tells the receiver that this side waits for room. Set before the final re-read of the consumer
   * index (and the receiver publishes the index after reading the flag), so one of them sees the other.
   */
  private setTxWaiting(on: boolean): void {
    if (this.txWaiting === on) return;
    this.txWaiting = on;
    this.updatePlain();
    Atomics.store(this.ctl, W_TX_WAITING + this.ep.side, on ? 1 : 0);
    // A sleeping receiver must wake up to publish its index.
    if (on) this.wakePeer();
  }

  /** ChannelBase hook: a whenSendable waiter arrived while the ring is full. */
  protected override wantSendable(): void {
    this.setTxWaiting(true);
    dispatcher().kick();
  }

  send(
    num: number,
    token: number,
    stage: Uint32Array,
    nwords: number,
    ovfIn: readonly Uint8Array[] | null,
    caps: readonly CapRef[] | null,
  ): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError(num));
    let ovf = ovfIn;
    const queued = this.queue.length - this.qHead;
    if (queued >= this.sendQueue) {
      return Promise.reject(
        this.forMessage(num, new ShoalError("TX_BUSY", `send queue is full (${this.sendQueue} messages)`)),
      );
    }
    const withCaps = caps !== null && caps.length > 0;
    if (withCaps) {
      let run: Uint8Array | null;
      try {
        run = capRecordRun(caps, local.get(this.peerKey));
      } catch (e) {
        return Promise.reject(e);
      }
      if (run === null) {
        return Promise.reject(
          this.forMessage(
            num,
            new ShoalError(
              "CAP_TRANSFER",
              "capabilities cross threads only through a core's cap transport (none is installed)",
            ),
          ),
        );
      }
      ovf = [...(ovf ?? []), run];
    }
    if (ovf !== null && ovf.length > 0) {
      let bytes = 0;
      for (const r of ovf) bytes += r.length;
      if (bytes > this.budget)
        return Promise.reject(
          this.forMessage(
            num,
            new ShoalError(
              "MSG_SIZE",
              `${bytes} bytes of strings and arrays exceed the connection's receive budget of ${this.budget}`,
            ),
          ),
        );
    }
    const shape = this.shape(num);
    const fixedLines =
      shape !== null && num < MSGNUM_RPC_ERROR ? shape.lines : Math.ceil(nwords / PAYLOAD_WORDS);
    // Borrows the caller's staging array and runs: valid until this call returns.
    const m = new Outgoing(num, token, stage, nwords, fixedLines, ovf ?? [], withCaps);
    if (queued === 0 && this.writeAll(m)) return RESOLVED;
    // The message outlives this call (written in part, or queued): it needs its own copies.
    m.own();
    if (queued === 0 && this.write(m)) return RESOLVED;
    const p = new Promise<void>((resolve, reject) => {
      m.resolve = resolve;
      m.reject = reject;
    });
    this.queue.push(m);
    this.plain = false;
    this.flush();
    dispatcher().kick();
    return p;
  }

  sendValues(num: number, token: number, args: readonly unknown[]): Promise<void> {
    void num;
    void token;
    void args;
    return Promise.reject(
      new ShoalError("BAD_ENDPOINT", "urpc channels carry words: use send/tryLine (sendValues is lrpc's)"),
    );
  }

  sendRpcError(token: number, message: string): void {
    if (this.closed) return;
    let text = new TextEncoder().encode(message);
    if (text.length > RPC_ERROR_TEXT_BYTES) text = text.slice(0, RPC_ERROR_TEXT_BYTES);
    this.send(MSGNUM_RPC_ERROR, token, new Uint32Array(0), 0, [text], null).catch(() => {
      // The channel closed meanwhile: the peer's pending rpc fails with the close reason instead.
    });
  }

  canSend(): boolean {
    return this.mayWrite() && this.hasRoom();
  }

  // ---- consumer -------------------------------------------------------------------------------

  poll(final = false): boolean {
    const ctl = this.ctl;
    // One load of the next slot's control word, as the floor's spin does.
    const c = Atomics.load(ctl, this.rxAt);
    if (final || !this.plain) return this.pollAll(final, c);
    // Empty when the slot's epoch bit differs from this lap's parity (xor: bitwise results are signed).
    // Idle: nothing else to do. The rest of the consumer index goes out only when the sender says it
    // waits for room, which `final` polls check (the dispatcher's look before it blocks, and its
    // thorough look every few microseconds).
    if (((c ^ this.rxEpoch) & CTRL_EPOCH) !== 0) return false;
    return this.deliverOneLine(c);
  }

  /**
   * The hot path: one-line messages while the channel is plain (open, nothing queued, not waiting for
   * room, not in the middle of a several-line message), each decoded in place. Every check here is on
   * the way from a line to its handler's reply; measured on the paired floor, five more field checks
   * before the handler cost ~0.1x of the round trip. Anything else goes to {@link pollAll}.
   */
  private deliverOneLine(first: number): boolean {
    const ctl = this.ctl;
    let c = first;
    for (let n = 0; ; n++) {
      const num = c & CTRL_MSGNUM_MASK;
      if ((c & ONE_LINE_MASK) !== ONE_LINE || this.oneLine[num] !== 1) return this.pollAll(false, c) || n > 0;
      const b = this.rxAt - CONTROL_WORD;
      this.advanceRx(1);
      this.deliver(num, b);
      if (((this.consumed - this.published) | 0) >= this.ackEvery) this.publishConsumed();
      // The next slot: a plain look first (stale at worst, and then the next poll finds the line).
      if (!this.plain || n + 1 >= this.lines || ((ctl[this.rxAt] as number) ^ this.rxEpoch) & CTRL_EPOCH)
        return true;
      c = Atomics.load(ctl, this.rxAt);
    }
  }

  private updatePlain(): void {
    this.plain = !this.closed && this.qHead === this.queue.length && !this.txWaiting && this.assembler.idle;
  }

  /** Everything poll does besides the hot path: queued sends, room for waiters, every kind of line. */
  private pollAll(final: boolean, first: number): boolean {
    if (this.closed) return false;
    // Liveness in shared memory (the only signal of a port-less connection, an early one otherwise).
    if (final && Atomics.load(this.ctl, W_CLOSED + 1 - this.ep.side) !== 0) {
      this.peerGone();
      return true;
    }
    if (final && this.peerBell === null) {
      const bell = this.findPeerBell();
      if (bell !== null) ring(bell);
    }
    const ctl = this.ctl;
    let c = first;
    let work = this.qHead !== this.queue.length && this.flush();
    if (this.txWaiting && this.qHead === this.queue.length && this.hasRoom()) {
      // Only whenSendable waiters were waiting for room.
      this.setTxWaiting(false);
      this.wakeSendable();
      work = true;
    }
    let n = 0;
    while (((c ^ this.rxEpoch) & CTRL_EPOCH) === 0) {
      const b = this.rxAt - CONTROL_WORD;
      const num = c & CTRL_MSGNUM_MASK;
      // The lines stay ours until the consumer index says otherwise, so they are valid during delivery.
      // In place: a whole one-line message (first and last, line 0, no caps) of a one-line shape, or all
      // lines of a fixed-words message already in the ring without wrapping. Else line by line.
      if ((c & ONE_LINE_MASK) === ONE_LINE && this.oneLine[num] === 1 && this.assembler.idle) {
        this.advanceRx(1);
        this.deliver(num, b);
        n += 1;
      } else if (
        (c & ONE_LINE_MASK) === FIRST_OF_SEVERAL &&
        (this.fixedLines[num] as number) > 0 &&
        this.assembler.idle &&
        this.wholeInRing(c, b, this.fixedLines[num] as number)
      ) {
        const k = this.fixedLines[num] as number;
        this.advanceRx(k);
        n += k;
        this.deliver(num, b);
      } else {
        this.advanceRx(1);
        this.assembler.line(c, b);
        n += 1;
      }
      if (this.closed) return true;
      if (((this.consumed - this.published) | 0) >= this.ackEvery) this.publishConsumed();
      if (n >= this.lines) break;
      c = Atomics.load(ctl, this.rxAt);
    }
    if (this.consumed !== this.published && (n > 0 || final)) this.publishIfWaited();
    this.updatePlain();
    return work || n > 0;
  }

  /** Hands the message whose fixed words start at ring word `b` to the binding, decoded in place. */
  private deliver(num: number, b: number): void {
    const w = this.words;
    const sent = traffic.sent;
    try {
      (this.rx as Receiver).onWords(num, w[b + TOKEN_WORD] as number, w, b, NO_RUNS, NO_CAPS);
    } catch (e) {
      this.handlerThrew(e, `message ${num}`);
    }
    if (traffic.sent === sent) traffic.unanswered = (traffic.unanswered + 1) | 0;
  }

  /** Moves the read position `k` lines on (they are consumed once delivered). */
  private advanceRx(k: number): void {
    this.rxPos = (this.rxPos + k) & this.mask;
    if (this.rxPos < k) this.rxEpoch ^= CTRL_EPOCH;
    this.rxAt = this.rxBase + (this.rxPos << 4) + CONTROL_WORD;
    this.consumed = (this.consumed + k) | 0;
  }

  /**
   * True when lines 1..k-1 after the first line `b` (control `c`) are all there and in order: the last
   * line is read with an acquire (a sender that streams line by line publishes it last), the ones between
   * are then plain reads. Anything else (not yet written, or malformed) goes to the assembler.
   */
  private wholeInRing(c: number, b: number, k: number): boolean {
    if (this.rxPos + k > this.lines) return false;
    const ctl = this.ctl;
    const head = c & (CTRL_EPOCH | CTRL_MSGNUM_MASK);
    const last = b + ((k - 1) << 4) + CONTROL_WORD;
    if (Atomics.load(ctl, last) !== (head | ((k - 1) << CTRL_LINE_SHIFT) | CTRL_LAST)) return false;
    for (let j = 1; j < k - 1; j++) {
      if (ctl[b + (j << 4) + CONTROL_WORD] !== (head | (j << CTRL_LINE_SHIFT))) return false;
    }
    return true;
  }

  /** Publishes the consumer index if the sender said it waits for room (a load instead of a store per message). */
  private publishIfWaited(): void {
    if (Atomics.load(this.ctl, W_TX_WAITING + 1 - this.ep.side) !== 0) this.publishConsumed();
  }

  /**
   * Pollable: the dispatcher is about to block. Marks the empty slot this side waits at (CTRL_SLEEPING,
   * compare-and-swap, so a message that lands meanwhile is never overwritten): the sender's publishing
   * exchange then sees the mark and rings. False when a line is already there.
   */
  prepareSleep(): boolean {
    if (this.closed) return true;
    const at = this.rxAt;
    const c = Atomics.load(this.ctl, at);
    if (((c ^ this.rxEpoch) & CTRL_EPOCH) === 0) return false;
    const marked = c | CTRL_SLEEPING;
    if (Atomics.compareExchange(this.ctl, at, c, marked) !== c) return false;
    this.sleepMark = at;
    this.sleepValue = marked;
    return true;
  }

  /** Pollable: awake again; takes the mark back unless a message replaced it. */
  endSleep(): void {
    if (this.sleepMark < 0) return;
    Atomics.compareExchange(this.ctl, this.sleepMark, this.sleepValue, this.sleepValue & ~CTRL_SLEEPING);
    this.sleepMark = -1;
  }

  private publishConsumed(): void {
    this.published = this.consumed;
    Atomics.store(this.ctl, this.myAckWord, this.consumed);
    // A sender with queued messages may be asleep waiting for exactly this.
    if (Atomics.load(this.ctl, W_TX_WAITING + 1 - this.ep.side) !== 0) {
      const bell = this.peerBell;
      if (bell !== null) ringIfSleeping(bell);
    }
  }

  /** What the receiving side has held and dropped (the receive budget's accounting). */
  receiveStats(): Readonly<AssemblerStats> {
    return { ...this.assembler.stats };
  }

  /** AssemblerHost: expected shape of a message number. */
  shape(num: number): MessageShape | null {
    // Reserved numbers first (MSGNUM_RPC_ERROR is numerically above FIRST_MSGNUM).
    if (num === MSGNUM_RPC_ERROR) return RPC_ERROR_SHAPE;
    if (num === MSGNUM_BIND) return BIND_SHAPE;
    if (num >= FIRST_MSGNUM && this.info !== null) return this.info.messages[num - FIRST_MSGNUM] ?? null;
    return null;
  }

  /** AssemblerHost: a whole message arrived. */
  message(
    num: number,
    token: number,
    w: Uint32Array,
    b: number,
    runs: readonly Uint8Array[],
    caps: boolean,
  ): void {
    const sent = traffic.sent;
    this.handOver(num, token, w, b, runs, caps);
    if (traffic.sent === sent) traffic.unanswered = (traffic.unanswered + 1) | 0;
  }

  /** Hands an assembled message to the binding (or to the bind check). */
  private handOver(
    num: number,
    token: number,
    w: Uint32Array,
    b: number,
    runsIn: readonly Uint8Array[],
    caps: boolean,
  ): void {
    const rx = this.rx;
    if (rx === null) return;
    let runs = runsIn;
    let capList = NO_CAPS;
    if (caps) {
      // The last run is the caps' record (cap-record.ts).
      const got = receivedCaps(num, this.capInbox, runs[runs.length - 1]);
      runs = runs.slice(0, -1);
      if (typeof got === "string") {
        this.bad(got);
        return;
      }
      capList = got;
    }
    // The reserved numbers first: MSGNUM_RPC_ERROR (0xffff) is above FIRST_MSGNUM too, and taken for
    // an interface message it was reported as unknown while the caller's rpc never settled.
    if (num === MSGNUM_RPC_ERROR) {
      const text = new TextDecoder().decode(runs[0]);
      try {
        rx.onRpcError(token, new ShoalError("RPC_FAILED", text));
      } catch (e) {
        this.handlerThrew(e, "an rpc error");
      }
    } else if (num >= FIRST_MSGNUM) {
      try {
        rx.onWords(num, token, w, b, runs, capList);
      } catch (e) {
        this.handlerThrew(e, `message ${num}`);
      }
    } else if (num === MSGNUM_BIND) {
      this.peerBound(w, b);
    }
  }

  /** Pollable: receiving threw (nothing should; this is the last line of defence): close this channel. */
  pollFailed(error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    this.finish(
      new ShoalError(
        "BAD_MESSAGE",
        `${this.info?.name ?? "urpc"}: receiving failed, channel closed: ${why}`,
        {
          cause: error,
        },
      ),
    );
  }

  /** AssemblerHost: a malformed line or message was dropped. */
  bad(reason: string): void {
    this.fault(new ShoalError("BAD_MESSAGE", `${this.info?.name ?? "urpc"}: ${reason}`));
  }

  private peerBound(w: Uint32Array, b: number): void {
    const mine = this.fpWords;
    if (mine === null || this.info === null) return;
    for (let i = 0; i < BIND_WORDS; i++) {
      if (w[b + i] !== mine[i]) {
        Atomics.store(this.ctl, W_CLOSED + this.ep.side, CLOSE_MISMATCH);
        this.finish(bindMismatch(this.info, fingerprintHex(w, b)));
        return;
      }
    }
    this.peerBoundOk();
  }

  // ---- life cycle -----------------------------------------------------------------------------

  protected opened(info: InterfaceInfo): void {
    this.fpWords = fingerprintWords(info);
    const tableSize = Math.min(CTRL_MSGNUM_MASK + 1, FIRST_MSGNUM + info.messages.length);
    this.oneLine = new Uint8Array(tableSize);
    this.fixedLines = new Uint8Array(tableSize);
    // Interface messages that fit one line with no strings/arrays/caps: decoded straight from the ring.
    info.messages.forEach((m, i) => {
      const num = FIRST_MSGNUM + i;
      if (num <= CTRL_MSGNUM_MASK && m.lines <= 1 && m.overflow.length === 0) this.oneLine[num] = 1;
      if (num <= CTRL_MSGNUM_MASK && m.lines > 1 && m.lines <= 255 && m.overflow.length === 0)
        this.fixedLines[num] = m.lines;
      if (m.overflow.length === 0 && m.lines > this.sendableLines)
        this.sendableLines = Math.min(m.lines, this.lines);
    });
    dispatcher().add(this);
    // The bind message goes first; the peer checks it against its own fingerprint (symmetric handshake).
    const line = new Uint32Array(LINE_WORDS);
    line.set(this.fpWords);
    void this.send(MSGNUM_BIND, 0, line, BIND_WORDS, null, null).catch(() => {
      // Only fails when the channel closed, which the binding hears through onClose.
    });
  }

  private portMessage(m: BellMessage): void {
    if (m === null || typeof m !== "object" || m.t !== "bell" || !(m.bell instanceof Int32Array)) return;
    this.peerBell = m.bell;
    // We may have published while we did not know where to ring: ring once now.
    ring(m.bell);
  }

  /** The peer closed its end, failed its bind check, or its thread is gone (port closed or closed[peer]). */
  private peerGone(): void {
    if (this.closed || this.goingAway) return;
    const why = Atomics.load(this.ctl, W_CLOSED + 1 - this.ep.side);
    // Deliver what the peer published before it went away.
    this.goingAway = true;
    if (this.rx !== null) for (let i = 0; i < 1024 && this.poll(); i++);
    this.goingAway = false;
    if (this.closed) return;
    const name = this.info?.name ?? "urpc";
    if (why === CLOSE_CLOSED) this.finish(new ShoalError("CLOSED", `${name}: the peer closed the channel`));
    else if (why === CLOSE_DIED)
      this.finish(new ShoalError("PEER_DIED", `${name}: the peer's core died or was killed`));
    else if (why === CLOSE_ABANDONED)
      this.finish(
        new ShoalError("PEER_DIED", `${name}: the peer's endpoint was dropped without being bound`),
      );
    else if (why === CLOSE_MISMATCH)
      this.finish(
        new ShoalError("BIND_MISMATCH", `${name}: the peer rejected this end's interface fingerprint`),
      );
    else this.finish(new ShoalError("PEER_DIED", `${name}: the peer's thread exited or crashed`));
  }

  protected released(error: ShoalError): void {
    this.plain = false;
    dispatcher().remove(this);
    local.delete(this.key);
    const q = this.queue;
    this.queue = [];
    for (let i = this.qHead; i < q.length; i++) {
      const m = q[i] as Outgoing;
      m.reject?.(this.forMessage(m.num, error));
    }
    this.qHead = 0;
    if (this.port !== null) this.port.close();
    else {
      dispatcher().holdOpen(-1);
      // A sleeping peer must wake up to see closed[side] (its port would have told it otherwise).
      const bell = this.findPeerBell();
      if (bell !== null) ring(bell);
    }
  }

  close(): Promise<void> {
    if (!this.closed) {
      // Tell the peer why before the port closes: it reads this when its 'close' event fires.
      Atomics.store(this.ctl, W_CLOSED + this.ep.side, CLOSE_CLOSED);
      this.finish(new ShoalError("CLOSED", `${this.info?.name ?? "urpc"}: channel closed`));
    }
    return RESOLVED;
  }
}
