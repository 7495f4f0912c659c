/**
 * Every call of Barrelfish's skb.if, over one engine (the skb domain wires the stub's handlers to
 * this). `run` answers a query as `Var = value` lines. The rest are octopus's (dist2's) calls over
 * records (service/records.ts), stored in the engine: `get` the first record matching a template,
 * `set` a record (replacing one of the same name), `del` the records matching a template, named
 * `lock`/`unlock` (a lock held by another client waits, FIFO), `get_identifier`/`identify` (a client
 * id per binding), `subscribe`/`unsubscribe` a template for an id, and `publish` a record to the
 * subscriptions it matches.
 *
 * skb.if has no message from the service to a client, so a publication cannot be pushed: it is kept
 * as a fact `octopus_event(Id, Seq, Record)` for each matching subscription, which the subscriber
 * reads (and retracts) with `run` (docs/skb.md, "The service"). Errors are errvals ({@link SKB_ERR}),
 * never exceptions across the channel.
 */
import type { SkbEngine } from "../engine/engine.js";
import { formatTerm, plString, type Term } from "../engine/terms.js";
import { isSkbError } from "../errors.js";
import { formatRecord, parseRecord, recordTerms } from "./records.js";

/** skb.if's errval values (octopus's error codes, numbered here; 0 is success). */
export const SKB_ERR = {
  OK: 0,
  /** No record matches (OCT_ERR_NO_RECORD). */
  NO_RECORD: 1,
  /** The record or template does not parse (OCT_ERR_PARSER_FAIL); the error string says where. */
  PARSER_FAIL: 2,
  /** The engine failed on it (OCT_ERR_ENGINE_FAIL). */
  ENGINE_FAIL: 3,
  /** unsubscribe: the id has no subscription. */
  NO_SUBSCRIPTION: 4,
  /** unlock: the lock is not held by this client. */
  NOT_LOCKED: 5,
  /** subscribe/identify: the id was not given out by get_identifier. */
  BAD_IDENTIFIER: 6,
  /** The answer does not fit skb.if's output string. */
  TOO_LONG: 7,
} as const;

/** The name of an errval (for typed client errors), or undefined for an unknown one. */
export function skbErrName(code: number): keyof typeof SKB_ERR | undefined {
  return (Object.keys(SKB_ERR) as (keyof typeof SKB_ERR)[]).find((k) => SKB_ERR[k] === code);
}

/** int_error values of run. */
export const RUN_OK = 0;
export const RUN_NO_ANSWER = 1;
export const RUN_FAILED = 2;

const RUN_OUTPUT = 65535;
const OCTOPUS_TEXT = 2047;

function fits(text: string, bytes: number): boolean {
  return new TextEncoder().encode(text).length <= bytes;
}

function describe(e: unknown): string {
  const m = isSkbError(e)
    ? `${e.code}: ${e.message.split("\n")[0]}`
    : e instanceof Error
      ? e.message
      : String(e);
  return m.slice(0, 511);
}

/** One client of the service: a binding (any object the domain keeps per client). */
export type ClientKey = object;

/** The skb.if service over `engine`. */
export class SkbService {
  readonly #engine: SkbEngine;
  #nextId = 1n;
  readonly #identified = new Map<ClientKey, bigint>();
  readonly #subscriptions = new Map<bigint, Term[]>();
  #eventSeq = 0;
  readonly #locks = new Map<
    string,
    { holder: ClientKey; waiting: { readonly client: ClientKey; readonly grant: () => void }[] }
  >();

  constructor(engine: SkbEngine) {
    this.#engine = engine;
    engine.query("dynamic(octopus_record/2), dynamic(octopus_event/3)");
  }

  /** skb.if run: one line per answer (`Var = value`, `true`), or `false`; errors as str_error. */
  run(input: string): { output: string; str_error: string; int_error: number } {
    try {
      const r = this.#engine.query(input.trim().replace(/\.\s*$/, ""));
      if (r.answers.length === 0) return { output: "false", str_error: "", int_error: RUN_NO_ANSWER };
      const text = r.answers
        .map((b) =>
          r.variables.length === 0
            ? "true"
            : r.variables.map((v) => `${v} = ${formatTerm(b[v] as Term)}`).join(", "),
        )
        .join("\n");
      if (!fits(text, RUN_OUTPUT))
        return {
          output: "",
          str_error: "the answers do not fit skb.if's 64 KiB output",
          int_error: RUN_FAILED,
        };
      return { output: text, str_error: "", int_error: RUN_OK };
    } catch (e) {
      return { output: "", str_error: describe(e), int_error: RUN_FAILED };
    }
  }

  /** A new client id. */
  getIdentifier(): { id: bigint } {
    const id = this.#nextId;
    this.#nextId += 1n;
    return { id };
  }

  /** Says that `client` is id `id` (its subscriptions' events are its own). */
  identify(client: ClientKey, id: bigint): void {
    if (id > 0n && id < this.#nextId) this.#identified.set(client, id);
  }

  /** The id `client` identified as, if any. */
  identityOf(client: ClientKey): bigint | undefined {
    return this.#identified.get(client);
  }

  /** The first (oldest) record matching the template. */
  get(query: string): { output: string; error: string; error_code: number } {
    return this.#octopus(
      query,
      true,
      (name, attributes) => {
        // Inputs are not reported: the record comes back in R and As.
        const a = this.#engine.once(
          "R = N, octopus_record(R, As), forall(member(KV, C), memberchk(KV, As))",
          {
            inputs: { N: name, C: attributes },
          },
        );
        if (a === undefined)
          return { output: "", error: `no record matches ${query.trim()}`, error_code: SKB_ERR.NO_RECORD };
        const text = formatRecord(a.R as Term, a.As as Term);
        if (!fits(text, OCTOPUS_TEXT))
          return { output: "", error: "the record does not fit 2 KiB", error_code: SKB_ERR.TOO_LONG };
        return { output: text, error: "", error_code: SKB_ERR.OK };
      },
      { output: "" },
    );
  }

  /** Stores a record, replacing the one of the same name. */
  set(input: string): { error: string; error_code: number } {
    return this.#octopus(
      input,
      false,
      (name, attributes) => {
        this.#engine.query("retractall(octopus_record(N, _)), assertz(octopus_record(N, A))", {
          inputs: { N: name, A: attributes },
        });
        return { error: "", error_code: SKB_ERR.OK };
      },
      {},
    );
  }

  /** Deletes every record matching the template. */
  del(query: string): { error_code: number } {
    const r = this.#octopus(
      query,
      true,
      (name, attributes) => {
        const a = this.#engine.once(
          "aggregate_all(count, (octopus_record(N, A), forall(member(KV, C), memberchk(KV, A)), retract(octopus_record(N, A))), K)",
          { inputs: { N: name, C: attributes } },
        );
        return { error: "", error_code: Number(a?.K ?? 0) > 0 ? SKB_ERR.OK : SKB_ERR.NO_RECORD };
      },
      {},
    );
    return { error_code: r.error_code };
  }

  /** Subscribes id `id` to the records published that match the template. */
  subscribe(query: string, id: bigint): { err: number } {
    if (id <= 0n || id >= this.#nextId) return { err: SKB_ERR.BAD_IDENTIFIER };
    let t: { name: Term; attributes: Term };
    try {
      t = recordTerms(parseRecord(query, true));
    } catch {
      return { err: SKB_ERR.PARSER_FAIL };
    }
    const subs = this.#subscriptions.get(id) ?? [];
    subs.push({ kind: "compound", functor: "t", args: [t.name, t.attributes] });
    this.#subscriptions.set(id, subs);
    return { err: SKB_ERR.OK };
  }

  /** Drops every subscription of `id`. */
  unsubscribe(id: bigint): { err: number } {
    return { err: this.#subscriptions.delete(id) ? SKB_ERR.OK : SKB_ERR.NO_SUBSCRIPTION };
  }

  /** Publishes a record: an `octopus_event(Id, Seq, Record)` for each subscription it matches. */
  publish(object: string): { err: number } {
    let record: { name: Term; attributes: Term };
    try {
      record = recordTerms(parseRecord(object, false));
    } catch {
      return { err: SKB_ERR.PARSER_FAIL };
    }
    const text = plString(formatRecord(record.name, record.attributes));
    try {
      for (const [id, templates] of this.#subscriptions) {
        const hit = this.#engine.succeeds("member(t(N, C), Ts), forall(member(KV, C), memberchk(KV, A)), !", {
          inputs: { Ts: templates, N: record.name, A: record.attributes },
        });
        if (hit) {
          this.#eventSeq++;
          this.#engine.assertz({
            kind: "compound",
            functor: "octopus_event",
            args: [Number(id), this.#eventSeq, text],
          });
        }
      }
    } catch {
      return { err: SKB_ERR.ENGINE_FAIL };
    }
    return { err: SKB_ERR.OK };
  }

  /** Takes the named lock for `client`, waiting (FIFO) while another client holds it. */
  lock(client: ClientKey, object: string): Promise<{ err: number }> | { err: number } {
    const name = object.trim();
    if (name === "") return { err: SKB_ERR.PARSER_FAIL };
    const l = this.#locks.get(name);
    if (l === undefined) {
      this.#locks.set(name, { holder: client, waiting: [] });
      return { err: SKB_ERR.OK };
    }
    if (l.holder === client) return { err: SKB_ERR.OK };
    return new Promise((resolve) => l.waiting.push({ client, grant: () => resolve({ err: SKB_ERR.OK }) }));
  }

  /** Releases the named lock; the next waiter gets it. */
  unlock(client: ClientKey, object: string): { err: number } {
    const name = object.trim();
    const l = this.#locks.get(name);
    if (l === undefined || l.holder !== client) return { err: SKB_ERR.NOT_LOCKED };
    const next = l.waiting.shift();
    if (next === undefined) this.#locks.delete(name);
    else {
      l.holder = next.client;
      next.grant();
    }
    return { err: SKB_ERR.OK };
  }

  /**
   * `client` is gone (its binding closed, or its domain exited or died): the locks it held pass to
   * their next waiters, its own waits are dropped, and it is no longer identified. Its subscriptions
   * stay: they belong to the id, which another binding may identify as.
   */
  clientClosed(client: ClientKey): void {
    this.#identified.delete(client);
    for (const [name, l] of this.#locks) {
      l.waiting = l.waiting.filter((w) => w.client !== client);
      if (l.holder !== client) continue;
      const next = l.waiting.shift();
      if (next === undefined) this.#locks.delete(name);
      else {
        l.holder = next.client;
        next.grant();
      }
    }
  }

  #octopus<R extends object>(
    text: string,
    template: boolean,
    act: (name: Term, attributes: Term) => R & { error: string; error_code: number },
    empty: Omit<R, "error" | "error_code">,
  ): R & { error: string; error_code: number } {
    let t: { name: Term; attributes: Term };
    try {
      t = recordTerms(parseRecord(text, template));
    } catch (e) {
      return { ...empty, error: describe(e), error_code: SKB_ERR.PARSER_FAIL } as R & {
        error: string;
        error_code: number;
      };
    }
    try {
      return act(t.name, t.attributes);
    } catch (e) {
      return { ...empty, error: describe(e), error_code: SKB_ERR.ENGINE_FAIL } as R & {
        error: string;
        error_code: number;
      };
    }
  }
}
