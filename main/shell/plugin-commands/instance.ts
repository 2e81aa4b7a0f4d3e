/**
 * How one launch of the app decides what to be, over Electron's single-instance lock (VS Code's
 * habit): the first instance holds the lock; a later `plinth --install-plugin …` hands its
 * command to it (relay.ts) and prints the answer; a plain later launch only brings the running
 * app's window forward. With the app closed, a command runs on the profile without a window.
 * Electron is reached only through {@link InstanceSeams}, so main/index.ts keeps the few lines
 * that call it and everything here is tested in Node.
 */
import { hasPluginCommands } from './parse.ts';
import {
  answerCommandRequest, createCommandRequest, readCommandRequest, runOnProfile, waitForCommandResult, writeCommandResult,
  type CommandRequest, type CommandResult,
} from './relay.ts';
import { EXIT_CODES, type CommandHost } from './run.ts';

/** A host the launch can start and stop (the app's `createHost` result). */
export type InstanceHost = CommandHost & { start(): Promise<void>; stop(): Promise<void> };

/** What a launch needs from Electron and the process; main/index.ts binds them to `app`. */
export interface InstanceSeams {
  /** `process.argv`. */
  argv: readonly string[];
  cwd: string;
  /** The OS temp folder (`app.getPath('temp')`); result files live directly in it. */
  tempDir: string;
  /** `app.requestSingleInstanceLock(data)`: true for the first instance; `data` reaches it. */
  requestLock(data: CommandRequest | Record<string, never>): boolean;
  /** `app.whenReady()`. */
  whenReady(): Promise<void>;
  /** Subscribes to `app.on('second-instance')` with its additional data. */
  onSecondInstance(listener: (data: unknown) => void): void;
  /** The host on the user's profile (not started). */
  makeHost(): InstanceHost;
  /** Prints the result (stdout lines, then stderr lines) and exits with its code. */
  exitWith(result: CommandResult): void;
  /** `app.quit()`: a plain second launch ends once it has woken the first. */
  quit(): void;
  /** Starts the windowed app: resolves its answer to later launches (commands and plain launches). */
  startApp(): Promise<RunningApp>;
  /** How long a forwarded command waits for the running app (ms); default relay.ts's. */
  relayTimeoutMs?: number;
}

/** What the running windowed app does for a later launch. */
export interface RunningApp {
  /** Its host, which runs the forwarded commands. */
  host: CommandHost;
  /** Shows and focuses the main window (a plain second launch). */
  focusMain(): void;
}

/** Which path a launch took (for tests and logs). */
export type LaunchPath = 'forward-command' | 'wake-running-app' | 'command-on-profile' | 'app';

/** The message of a command that arrives while another runs on the closed app's profile. */
export const BUSY_MESSAGE = 'error: BUSY: another plinth command is running on this profile; run this one again when it has finished.';

/**
 * Answers a later launch's additional data in the running app: a valid command request runs on
 * `app.host` and its result is written for the waiting process; anything else (a plain launch,
 * or data naming a result file outside `tempDir`) only focuses the main window, so no other
 * program can make the app write where it chooses.
 * @returns `'command'` with the result, or `'focused'`
 */
export async function answerSecondInstance(data: unknown, tempDir: string, app: RunningApp): Promise<{ kind: 'command'; result: CommandResult } | { kind: 'focused' }> {
  const request = readCommandRequest(data, tempDir);
  if (!request) {
    app.focusMain();
    return { kind: 'focused' };
  }
  return { kind: 'command', result: await answerCommandRequest(app.host, request) };
}

/**
 * Runs one launch. A command on the closed app's profile never throws: a failure exits 1 with an
 * `error: INTERNAL:` line. A failing `startApp` rejects, for the caller's own error box.
 * @returns the path taken, once the launch has settled (the command printed, or the app started)
 */
export async function launch(seams: InstanceSeams): Promise<LaunchPath> {
  const command = hasPluginCommands(seams.argv) ? createCommandRequest(seams.argv, seams.cwd, seams.tempDir) : null;
  if (!seams.requestLock(command ?? {})) {
    if (!command) {
      seams.quit();
      return 'wake-running-app';
    }
    seams.exitWith(await waitForCommandResult(command.resultFile, seams.relayTimeoutMs).catch((error: Error): CommandResult =>
      ({ exitCode: EXIT_CODES.failed, stdout: [], stderr: [`error: INTERNAL: the running Plinth's answer could not be read: ${error.message}`] })));
    return 'forward-command';
  }
  if (command) {
    // This process holds the lock while it works on the profile: a command sent to it meanwhile is
    // told so at once instead of waiting the whole relay timeout for an answer that never comes.
    seams.onSecondInstance((data) => {
      const request = readCommandRequest(data, seams.tempDir);
      if (request) void writeCommandResult(request.resultFile, { exitCode: EXIT_CODES.failed, stdout: [], stderr: [BUSY_MESSAGE] }).catch(() => undefined);
    });
    await seams.whenReady();
    const result = await runOnProfile(seams.makeHost(), command.argv, command.cwd).catch((error: Error): CommandResult =>
      ({ exitCode: EXIT_CODES.failed, stdout: [], stderr: [`error: INTERNAL: ${error.message}`] }));
    seams.exitWith(result);
    return 'command-on-profile';
  }
  // Listening from the start: a launch that arrives while the host is still starting is answered once it runs.
  const running = seams.whenReady().then(() => seams.startApp());
  seams.onSecondInstance((data) => {
    void running.then((app) => answerSecondInstance(data, seams.tempDir, app)).catch(() => undefined);
  });
  await running;
  return 'app';
}
