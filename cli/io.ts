/**
 * What a CLI command may touch of the outside world. `bin/flowc.js` passes the real process;
 * tests may pass their own to capture output.
 */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** True when stdout is a terminal (colour and live progress are allowed). */
  isTTY: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** Thrown for bad usage (unknown flag, missing argument): printed without a stack, exit 2. */
export class UsageError extends Error {}
