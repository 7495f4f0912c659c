/** What the Comlink baseline's worker exposes. */
export interface ComlinkApi {
  /** Returns its argument (the rpc round trip). */
  echo(v: number): number;
  /** Counts a payload (one throughput message; the reply is Comlink's own return message). */
  payload(data: Uint8Array): void;
  /** Bytes counted since the last call, then resets (checks that every payload arrived). */
  takeBytes(): number;
}
