/**
 * Progress on stderr while the benchmark runs, so stdout carries only the table. On a terminal the
 * current step is redrawn in place; otherwise each step is one line.
 */

/** Where progress goes; tests pass a silent one. */
export interface Progress {
  /** A step is starting (`urpc pingpong`, `raw-sab throughput 64 B`). */
  step(label: string): void;
  /** A line that stays (a skipped transport, a finished row). */
  note(line: string): void;
  /** Clears any in-place line. */
  end(): void;
}

/** Progress written to `process.stderr`. */
export function stderrProgress(total: number): Progress {
  const tty = process.stderr.isTTY === true;
  let done = 0;
  let open = false;
  const clear = () => {
    if (open) process.stderr.write("\r\x1b[K");
    open = false;
  };
  return {
    step(label) {
      done += 1;
      const text = `[${String(done).padStart(2)}/${total}] ${label}`;
      if (tty) {
        clear();
        process.stderr.write(text);
        open = true;
      } else {
        process.stderr.write(`${text}\n`);
      }
    },
    note(line) {
      clear();
      process.stderr.write(`${line}\n`);
    },
    end() {
      clear();
    },
  };
}

/** Progress that prints nothing. */
export const silentProgress: Progress = { step() {}, note() {}, end() {} };
