/**
 * A suite's progress on stderr while it runs, so stdout carries only the report. On a terminal the
 * current step is redrawn in place; otherwise each step is one line.
 */

/** Where a suite's `log` and `step` go; tests pass a silent one. */
export interface Progress {
  /** A transient line (`[ 3/48] urpc throughput 8 B`). */
  step(label: string): void;
  /** A line that stays. */
  note(line: string): void;
  /** Clears any in-place line. */
  end(): void;
}

/** Progress written to `process.stderr`. */
export function stderrProgress(): Progress {
  const tty = process.stderr.isTTY === true;
  let open = false;
  const clear = () => {
    if (open) process.stderr.write("\r\x1b[K");
    open = false;
  };
  return {
    step(label) {
      if (tty) {
        clear();
        process.stderr.write(label);
        open = true;
      } else {
        process.stderr.write(`${label}\n`);
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
