/**
 * Passing terminal commands to the running app (VS Code's habit, over Electron's single-instance
 * lock): a second `plinth --install-plugin …` hands `{ argv, cwd, resultFile }` to the first as
 * the lock's additional data; the first runs the commands and writes the result, as JSON, to
 * `resultFile`, a fresh name in the OS temp folder that the second watches for. When the app is
 * not running, the command process itself runs them on the profile (`runOnProfile`).
 */
import { randomUUID } from 'node:crypto';
import { watch } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EXIT_CODES, runPluginCommands, type CommandHost, type CommandResult } from './run.ts';
import { parsePluginCommands, UsageError } from './parse.ts';

export type { CommandResult } from './run.ts';

/** How long a command process waits for the running app (ms): an install may download 50 MB. */
export const RELAY_TIMEOUT_MS = 10 * 60_000;
const RESULT_NAME = /^plinth-command-[0-9a-f-]{36}\.json$/;

/** What the second instance sends. */
export interface CommandRequest { argv: string[]; cwd: string; resultFile: string }

const requestSchema = z.strictObject({
  argv: z.array(z.string().max(4_096)).max(256),
  cwd: z.string().min(1).max(4_096),
  resultFile: z.string().min(1).max(4_096),
});

/** A request for `argv`, with a fresh result file in `tempDir`. */
export function createCommandRequest(argv: readonly string[], cwd: string, tempDir: string): CommandRequest {
  return { argv: [...argv], cwd, resultFile: path.join(tempDir, `plinth-command-${randomUUID()}.json`) };
}

/**
 * The request in a second instance's additional data, or `null` when it carries none (a plain
 * second launch) or something else. Any local program can send one, so the result file must be
 * a Plinth result name directly in `tempDir`: the app never writes anywhere else for it.
 */
export function readCommandRequest(data: unknown, tempDir: string): CommandRequest | null {
  const parsed = requestSchema.safeParse(data);
  if (!parsed.success) return null;
  const { resultFile } = parsed.data;
  if (path.dirname(resultFile) !== path.resolve(tempDir) || !RESULT_NAME.test(path.basename(resultFile))) return null;
  return parsed.data;
}

/** Parses and runs `argv`'s commands; a usage error is exit code 2 with the usage text. */
export async function runCommandLine(host: CommandHost, argv: readonly string[], cwd: string): Promise<CommandResult> {
  try {
    return await runPluginCommands(host, parsePluginCommands(argv), cwd);
  } catch (error) {
    if (error instanceof UsageError) return { exitCode: EXIT_CODES.usage, stdout: [], stderr: [`error: USAGE: ${error.message}`] };
    throw error;
  }
}

/** The running app's side: runs the request's commands and writes the result (never overwriting a file). */
export async function answerCommandRequest(host: CommandHost, request: CommandRequest): Promise<CommandResult> {
  const result = await runCommandLine(host, request.argv, request.cwd).catch((error: Error): CommandResult =>
    ({ exitCode: EXIT_CODES.failed, stdout: [], stderr: [`error: INTERNAL: ${error.message}`] }));
  await writeCommandResult(request.resultFile, result);
  return result;
}

/**
 * Writes `result` for the waiting command process: to `<resultFile>.partial` first (never
 * overwriting a file), then renamed, so the watcher never reads half a file.
 * @throws the file-system error when the partial file exists already or the folder is gone
 */
export async function writeCommandResult(resultFile: string, result: CommandResult): Promise<void> {
  const partial = `${resultFile}.partial`;
  await writeFile(partial, JSON.stringify(result), { flag: 'wx', mode: 0o600 });
  await rename(partial, resultFile);
}

const resultSchema = z.strictObject({ exitCode: z.number().int(), stdout: z.array(z.string()), stderr: z.array(z.string()) });

/**
 * The command process's side: waits for the result file (watching its folder, no polling),
 * reads and deletes it. Resolves exit code 1 with a message when the app does not answer
 * within `timeoutMs`.
 */
export async function waitForCommandResult(resultFile: string, timeoutMs = RELAY_TIMEOUT_MS): Promise<CommandResult> {
  const read = async (): Promise<CommandResult | null> => {
    try {
      const result = resultSchema.parse(JSON.parse(await readFile(resultFile, 'utf8')));
      await rm(resultFile, { force: true });
      return result;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
  return new Promise<CommandResult>((resolve, reject) => {
    let done = false;
    const finish = (result: CommandResult | null, error?: Error) => {
      if (done || (!result && !error)) return;
      done = true;
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result!);
    };
    const check = () => { read().then((r) => finish(r), (e: Error) => finish(null, e)); };
    const watcher = watch(path.dirname(resultFile), (_event, name) => { if (name === path.basename(resultFile)) check(); });
    const timer = setTimeout(() => finish({
      exitCode: EXIT_CODES.failed, stdout: [],
      stderr: [`error: TIMEOUT: the running Plinth did not answer within ${Math.round(timeoutMs / 1000)} s; the command may still complete there.`],
    }), timeoutMs);
    check(); // the answer may already be there
  });
}

/** Runs `argv`'s commands on a host started just for them (the app is closed), then stops it. */
export async function runOnProfile(host: CommandHost & { start(): Promise<void>; stop(): Promise<void> }, argv: readonly string[], cwd: string): Promise<CommandResult> {
  await host.start();
  try {
    return await runCommandLine(host, argv, cwd);
  } finally {
    await host.stop();
  }
}

/** Prints a result as a terminal expects: stdout lines, then stderr lines. */
export function printCommandResult(result: CommandResult, out: (line: string) => void, err: (line: string) => void): void {
  for (const line of result.stdout) out(line);
  for (const line of result.stderr) err(line);
}
