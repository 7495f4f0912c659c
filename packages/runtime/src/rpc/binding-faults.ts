/**
 * How a generated binding reports what goes wrong (it was once printed into every stub): a received
 * message that does not decode, a send refused for size, a handler that threw or rejected. Receiving
 * never throws into the transport loop: everything goes to the binding's `onError`, or to the console
 * when it has none, and an `onError` that throws is contained. It also tells the binding's `onClose`
 * that the binding ended, once, with why.
 */
import { ShoalError } from "../errors.js";

/** The error reporting of one binding of interface `iface`. */
export class BindingFaults {
  readonly #iface: string;
  readonly #onError: ((error: ShoalError) => void) | undefined;
  readonly #onClose: ((error: ShoalError) => unknown) | undefined;

  constructor(
    iface: string,
    onError: ((error: ShoalError) => void) | undefined,
    onClose?: (error: ShoalError) => unknown,
  ) {
    this.#iface = iface;
    this.#onError = onError;
    this.#onClose = onClose;
  }

  /**
   * The binding ended with `error` (CLOSED when either end closed it, PEER_DIED, TIMEOUT, BIND_MISMATCH):
   * tells its `onClose`, once (the channel finishes once). A throw or rejection there is reported as
   * HANDLER_FAILED of "onClose".
   */
  closed(error: ShoalError): void {
    const onClose = this.#onClose;
    if (onClose === undefined) return;
    try {
      this.after(onClose(error), "onClose");
    } catch (e) {
      this.handlerFailed("onClose", e);
    }
  }

  /** Hands `error` to the binding's onError (or prints it when there is none). */
  fault(error: ShoalError): void {
    const onError = this.#onError;
    if (onError === undefined) {
      console.error(`${this.#iface}: ${error.code}: ${error.message}`);
      return;
    }
    try {
      onError(error);
    } catch {
      // An error handler that throws must not take the transport loop down with it.
    }
  }

  /** A received message failed validation and is dropped: BAD_MESSAGE naming the message and field. */
  bad(message: string, field: string, why: string): void {
    const where = field === "" ? message : `${message}.${field}`;
    this.fault(
      new ShoalError("BAD_MESSAGE", `${this.#iface}: bad message ${where}: ${why}`, {
        messageName: message,
        field,
      }),
    );
  }

  /** A send refused before anything was written, because an argument exceeds its bound: MSG_SIZE. */
  tooBig(message: string, field: string, bound: number, actual: number): Promise<never> {
    return Promise.reject(
      new ShoalError(
        "MSG_SIZE",
        `${this.#iface}.${message}: '${field}' has ${actual} bytes or elements; the bound is ${bound}`,
        { messageName: message, field },
      ),
    );
  }

  /**
   * A send refused before anything was written, because an argument is not of its declared type:
   * BAD_ARGUMENT naming the message, the field and what it got.
   */
  badArgument(message: string, field: string, expected: string, actual: unknown): Promise<never> {
    return Promise.reject(
      new ShoalError(
        "BAD_ARGUMENT",
        `${this.#iface}.${message}: '${field}' must be ${expected}, got ${describeValue(actual)}`,
        { messageName: message, field },
      ),
    );
  }

  /** Watches what a message handler returned: a rejected promise is reported like a throw. */
  after(result: unknown, message: string): void {
    if (typeof (result as PromiseLike<void> | undefined)?.then === "function")
      (result as PromiseLike<void>).then(undefined, (e: unknown) => this.handlerFailed(message, e));
  }

  /** A handler of `message` threw or rejected with `e`. */
  handlerFailed(message: string, e: unknown): void {
    const text = e instanceof Error ? e.message : String(e);
    this.fault(
      new ShoalError("HANDLER_FAILED", `${this.#iface}: handler of ${message} failed: ${text}`, {
        messageName: message,
        cause: e,
      }),
    );
  }
}

/** A short, safe description of a wrong value for an error message (never its whole contents). */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case "string":
      return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
    case "number":
      return `the number ${String(v)}`;
    case "bigint":
      return `the bigint ${String(v)}n`;
    case "boolean":
      return String(v);
    case "undefined":
      return "undefined";
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default: {
      if (v === null) return "null";
      if (Array.isArray(v)) return `an array of ${v.length} elements`;
      if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of ${v.byteLength} bytes`;
      const name = Object.getPrototypeOf(v)?.constructor?.name;
      return typeof name === "string" && name !== "Object" ? `a ${name}` : "an object";
    }
  }
}
