/** Shapes shared by the `plinth-plugin` commands. */

/** Where a command writes; `process.stdout`/`process.stderr` in the real CLI, buffers in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  cwd?: string;
}

/**
 * Exit codes: 0 success, 1 the work failed (invalid plugin, pack error, failed call), 2 the
 * command line is wrong, 130 stopped by a signal (128 + SIGINT, the shell convention).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** One `plinth-plugin` command. */
export interface CliCommand {
  /** One line for `--help`. */
  summary: string;
  /** Usage line(s), e.g. `plinth-plugin validate [dir]`. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}
