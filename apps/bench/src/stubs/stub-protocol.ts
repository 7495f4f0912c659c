/** Messages between main and the stub worker (the measured traffic goes through the stubs). */

/** Main → worker. */
export type StubCommand =
  | { readonly kind: "bind"; readonly endpoint: unknown }
  | { readonly kind: "expect"; readonly count: number }
  | { readonly kind: "check" }
  | { readonly kind: "unbind" };

/** Worker → main (`failed` is handled by the worker host). */
export type StubReply =
  | { readonly kind: "ready" }
  | { readonly kind: "bound" }
  | { readonly kind: "expecting" }
  | { readonly kind: "check"; readonly value: number; readonly error: string | null }
  | { readonly kind: "unbound" };
