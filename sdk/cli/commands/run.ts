/**
 * `plinth-plugin run <dir> --data <key> | --action <key> [--params <json>]`:
 * validates a plugin folder, starts its worker in the real host core (see `dev-host.ts`),
 * makes one data or action call, prints the JSON result to stdout and exits 0. Any failure
 * prints `error <CODE>: <message>` to stderr and exits 1; no worker process survives the
 * command either way. The plugin's log lines go to stderr as they happen.
 */
import type { LogLine } from '@plinth/host/logs';
import { ERROR_CODES, type ErrorCode } from '../../protocol/errors.ts';
import type { JsonObject } from '../../protocol/json.ts';
import type { PluginManifest } from '../../protocol/manifest.ts';
import { seedFixtures } from '../../testing/fixtures.ts';
import { createStateService } from '@plinth/host/services/state';
import { parseCommandArgs } from '../args.ts';
import { performCall } from './run-calls.ts';
import { RUN_OPTIONS, RUN_USAGE, toRunRequest, UsageError, type RunRequest } from './run-request.ts';
import type { DevHost, openDevHost } from '../dev-host.ts';
import { EXIT, type CliCommand, type CliIo } from '../types.ts';
import { printResult, sourceForDir, validateForCli } from './validate.ts';

/** Signals that stop a run early (Ctrl+C, `kill`): the worker is stopped and the temp profile deleted. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** One log line of the plugin as printed on stderr: `[logger info] counter incremented {"count":1}`. */
export function formatLogLine(line: LogLine): string {
  const tag = line.source === 'stdout' || line.source === 'stderr' ? line.source : `${line.source} ${line.level}`;
  return `[${tag}] ${line.message}${line.data === undefined ? '' : ` ${JSON.stringify(line.data)}`}`;
}

/**
 * The code and message to report for a failure. A failed `setup` reaches the caller as
 * `NOT_READY` ("Setup failed: …") with the original code in `data.cause`; that code is the
 * one that tells the author what happened, so it is reported instead.
 */
export function describeFailure(error: unknown): { code: ErrorCode; message: string } {
  const isCode = (value: unknown): value is ErrorCode => typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const cause = ((error as { data?: { cause?: { code?: unknown } } } | null)?.data)?.cause?.code;
  if (code === 'NOT_READY' && isCode(cause)) return { code: cause, message };
  return { code: isCode(code) ? code : 'INTERNAL', message };
}

/** Resolves when one of {@link STOP_SIGNALS} arrives; `dispose` removes the listeners. */
export function onStopSignal(): { signalled: Promise<NodeJS.Signals>; dispose(): void } {
  const { promise, resolve } = Promise.withResolvers<NodeJS.Signals>();
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => resolve(signal);
    process.on(signal, handler); // not `once`: some exit-hook libraries re-raise a signal nobody else listens to
    return [signal, handler] as const;
  });
  return { signalled: promise, dispose: () => { for (const [signal, handler] of handlers) process.off(signal, handler); } };
}

/**
 * Loads the dev host (lazily: the host core takes a while to load, and validate/pack do not
 * need it). One of its dependencies, `when-exit` (conf → atomically), hooks SIGINT and SIGTERM
 * when imported and re-raises the signal, which would kill the CLI before it stops the worker
 * and deletes the temporary profile. `run` and `dev` handle those signals themselves while they run, so the
 * signal hooks added by this import are removed (their `exit` hooks stay).
 */
export async function loadDevHost(): Promise<{ openDevHost: typeof openDevHost }> {
  const before = new Map(STOP_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('../dev-host.ts');
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.off(signal, listener);
  }
  return module;
}

/** Prints `error <CODE>: <message>` on stderr; returns the exit code of a failure. */
export function printFailure(io: CliIo, code: string, message: string): number {
  io.stderr.write(`error ${code}: ${message}\n`);
  return EXIT.failed;
}

/**
 * Validates the plugin folder of a command that starts it (`run`, `dev`) and prints the outcome.
 * @returns the manifest and real folder, or the exit code once the problems are printed
 */
export async function validatedPlugin(dir: string, io: CliIo): Promise<{ ok: true; manifest: PluginManifest; realDir: string } | { ok: false; exitCode: number }> {
  const validation = await validateForCli(dir, io.cwd ?? process.cwd());
  printResult(validation, io);
  if (validation.ok) return { ok: true, manifest: validation.manifest, realDir: validation.realDir };
  return { ok: false, exitCode: printFailure(io, 'INVALID_INPUT', `${validation.dir} is not a valid Plinth plugin; fix the problems listed above`) };
}

/** Closes a dev host (when one was opened), printing what went wrong while closing as warnings. */
export async function closeDevHost(dev: DevHost | undefined, io: CliIo): Promise<void> {
  for (const problem of (await dev?.close()) ?? []) io.stderr.write(`warning: ${problem}\n`);
}

/** Runs one request; the exit code is returned, everything else is written to `io`. */
async function runRequest(request: RunRequest, io: CliIo): Promise<number> {
  const note = (text: string) => { if (request.verbose) io.stderr.write(`[run] ${text}\n`); };
  const fail = (code: ErrorCode, message: string) => printFailure(io, code, message);

  const validation = await validatedPlugin(request.dir, io);
  if (!validation.ok) return validation.exitCode;
  const { manifest, realDir } = validation;
  if (!manifest.plinth.worker) return fail('NOT_FOUND', `${manifest.name} has no worker (plinth.worker), so it has nothing to run`);
  const source = await sourceForDir(realDir);
  note(`${manifest.name} ${manifest.version} (${source}) from ${realDir}`);

  const config = configWithSecrets(request, manifest);
  if (typeof config === 'string') return fail('INVALID_INPUT', config);

  const stop = onStopSignal();
  // Opened outside the race below so that, whatever wins it, the finally block can close the host.
  const opening: Promise<DevHost> = loadDevHost().then(({ openDevHost }) => openDevHost({
    realDir, pluginId: manifest.name, source, callTimeoutMs: request.timeoutMs,
    ...(request.profileDir ? { profileDir: request.profileDir } : {}),
    onLog: (line) => io.stderr.write(`${formatLogLine(line)}\n`),
    onSpawn: (pid) => note(`worker pid ${pid ?? '(not started)'}`),
  }));
  // Its failure is reported through `work` below.
  opening.then((dev) => note(dev.keepsProfile ? `profile ${dev.profileDir} (kept)` : `temporary profile ${dev.profileDir} (deleted at the end)`), () => undefined);
  try {
    const work = (async () => {
      const dev = await opening;
      await dev.configure(config);
      if (request.seed !== undefined) {
        const seeded = seedFixtures(dev.host.services.workspace, createStateService(dev.host.db), manifest.name, request.seed);
        note(`seeded ${seeded.projects.length} projects, ${seeded.tasks.length} tasks, ${seeded.comments.length} comments, ${seeded.stateEntries} state entries`);
      }
      await dev.enable();
      const result = await performCall(dev, manifest, request.call, request.timeoutMs);
      note(`${describeCall(request)} answered; the worker started in ${Math.round(dev.host.supervisor.runtime(manifest.name).activationMs ?? 0)} ms`);
      return result;
    })();
    work.catch(() => undefined); // when a signal wins the race, the call's own outcome no longer matters
    const outcome = await Promise.race([work.then((result) => ({ result })), stop.signalled.then((signal) => ({ signal }))]);
    if ('signal' in outcome) {
      io.stderr.write(`plinth-plugin run: stopped by ${outcome.signal}\n`);
      return EXIT.interrupted;
    }
    io.stdout.write(`${JSON.stringify(outcome.result ?? null, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    const { code, message } = describeFailure(error);
    return fail(code, message);
  } finally {
    stop.dispose();
    await closeDevHost(await opening.catch(() => undefined), io); // a failed open has already cleaned up after itself
    note('host stopped; no worker process is left');
  }
}

/** `data "counts"`, `job "sync"`, `health`: the call, for verbose notes. */
function describeCall(request: RunRequest): string {
  const call = request.call;
  return call.kind === 'health' ? 'health' : `${call.kind} "${call.kind === 'event' ? call.name : call.key}"`;
}

/**
 * `--config` with the `--secret` fields merged in, or the problem with a `--secret` (a field
 * that is not a secret property of `configSchema`).
 */
function configWithSecrets(request: RunRequest, manifest: PluginManifest): JsonObject | undefined | string {
  const names = Object.keys(request.secrets);
  if (names.length === 0) return request.config;
  const properties = (manifest.plinth.configSchema?.properties ?? {}) as Record<string, { format?: unknown } | undefined>;
  for (const name of names) {
    if (properties[name]?.format !== 'secret') {
      return `--secret ${name}: plinth.configSchema has no secret property "${name}" (one with "format": "secret")`;
    }
  }
  return { ...request.config, ...request.secrets };
}

export const runCommand: CliCommand = {
  summary: 'start a plugin folder in a local host and make one call: data, action, tool, job, webhook, event or health',
  usage: RUN_USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(args, io, { usage: RUN_USAGE, options: RUN_OPTIONS, maxPositionals: 1 });
    if (!parsed.ok) return parsed.exitCode;
    let request: RunRequest;
    try {
      request = await toRunRequest(parsed.values as never, parsed.positionals, io.cwd ?? process.cwd());
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr.write(`error INVALID_INPUT: ${error.message}\n${RUN_USAGE}\n`);
      return EXIT.usage;
    }
    return runRequest(request, io);
  },
};
