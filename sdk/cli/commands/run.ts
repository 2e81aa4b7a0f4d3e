/**
 * `plinth-plugin run <dir> --data <key> | --action <key> [--params <json>]`:
 * validates a plugin folder, starts its worker in the real host core (see `dev-host.ts`),
 * makes one data or action call, prints the JSON result to stdout and exits 0. Any failure
 * prints `error <CODE>: <message>` to stderr and exits 1; no worker process survives the
 * command either way. The plugin's log lines go to stderr as they happen.
 */
import type { LogLine } from '@plinth/host/logs';
import { ERROR_CODES, type ErrorCode } from '../../protocol/errors.ts';
import type { Json, JsonObject } from '../../protocol/json.ts';
import { CALL_TIMEOUT_MS } from '../../protocol/rpc.ts';
import { parseCommandArgs } from '../args.ts';
import type { DevHost, openDevHost } from '../dev-host.ts';
import { EXIT, type CliCommand, type CliIo } from '../types.ts';
import { printResult, sourceForDir, validateForCli } from './validate.ts';

/** Largest `--timeout` (ms): the most `setTimeout` can wait (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Signals that stop a run early (Ctrl+C, `kill`): the worker is stopped and the temp profile deleted. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const USAGE = [
  'Usage: plinth-plugin run <dir> (--data <key> | --action <key>) [options]',
  '  Starts the worker of the plugin folder dir in a local Plinth host (a temporary profile that is',
  '  deleted afterwards), calls one data or action handler and prints its JSON result to stdout.',
  '  The plugin\'s log lines go to stderr. Exit 0 on success, 1 when the plugin or the call fails',
  '  ("error <CODE>: <message>" on stderr), 2 for a wrong command line.',
  'Options:',
  '  --data <key>       call the handler registered with ctx.data.register(key, ...)',
  '  --action <key>     call the handler registered with ctx.actions.register(key, ...)',
  '  --params <json>    the handler\'s params, as JSON (default: null), e.g. \'{"limit":5}\'',
  '  --config <json>    the plugin\'s config, a JSON object checked against plinth.configSchema (default: {})',
  `  --timeout <ms>     how long the call may take (default: ${CALL_TIMEOUT_MS})`,
  '  -v, --verbose      also print what the host does (worker pid, start-up time, shutdown)',
].join('\n');

const OPTIONS = {
  data: { type: 'string' },
  action: { type: 'string' },
  params: { type: 'string' },
  config: { type: 'string' },
  timeout: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

/** A wrong command line: reported with its code and exit 2. */
class UsageError extends Error {}

/** What one run does, parsed from the command line. */
interface RunRequest {
  dir: string;
  method: 'data' | 'action';
  key: string;
  params: Json;
  config: JsonObject | undefined;
  timeoutMs: number;
  verbose: boolean;
}

function parseJson(option: string, text: string, example: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new UsageError(`--${option} is not valid JSON (${(error as Error).message}); quote it for your shell, e.g. --${option} '${example}'`);
  }
}

function toRequest(values: { [K in keyof typeof OPTIONS]?: string | boolean }, positionals: string[]): RunRequest {
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError('name the plugin folder to run, e.g. plinth-plugin run . --data greeting');
  const data = values.data as string | undefined;
  const action = values.action as string | undefined;
  if ((data === undefined) === (action === undefined)) throw new UsageError('give exactly one of --data <key> or --action <key>');
  const key = (data ?? action) as string;
  if (key === '') throw new UsageError(`--${data !== undefined ? 'data' : 'action'} needs a non-empty key`);
  const params = values.params === undefined ? null : parseJson('params', values.params as string, '{"limit":5}');
  let config: JsonObject | undefined;
  if (values.config !== undefined) {
    const parsed = parseJson('config', values.config as string, '{"board":"main"}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError('--config must be a JSON object, e.g. --config \'{"board":"main"}\'');
    }
    config = parsed;
  }
  let timeoutMs = CALL_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    const text = values.timeout as string;
    timeoutMs = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS)) {
      throw new UsageError(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got "${text}"`);
    }
  }
  return { dir, method: data !== undefined ? 'data' : 'action', key, params, config, timeoutMs, verbose: values.verbose === true };
}

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
function onStopSignal(): { signalled: Promise<NodeJS.Signals>; dispose(): void } {
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
 * and deletes the temporary profile. `run` handles those signals itself while it runs, so the
 * signal hooks added by this import are removed (their `exit` hooks stay).
 */
async function loadDevHost(): Promise<{ openDevHost: typeof openDevHost }> {
  const before = new Map(STOP_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('../dev-host.ts');
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.off(signal, listener);
  }
  return module;
}

/** Runs one request; the exit code is returned, everything else is written to `io`. */
async function runRequest(request: RunRequest, io: CliIo): Promise<number> {
  const note = (text: string) => { if (request.verbose) io.stderr.write(`[run] ${text}\n`); };
  const fail = (code: ErrorCode, message: string) => {
    io.stderr.write(`error ${code}: ${message}\n`);
    return EXIT.failed;
  };

  const cwd = io.cwd ?? process.cwd();
  const validation = await validateForCli(request.dir, cwd);
  printResult(validation, io);
  if (!validation.ok) return fail('INVALID_INPUT', `${validation.dir} is not a valid Plinth plugin; fix the problems listed above`);
  const { manifest, realDir } = validation;
  if (!manifest.plinth.worker) return fail('NOT_FOUND', `${manifest.name} has no worker (plinth.worker), so it has no data or action handlers to call`);
  const source = await sourceForDir(realDir);
  note(`${manifest.name} ${manifest.version} (${source}) from ${realDir}`);

  const stop = onStopSignal();
  // Opened outside the race below so that, whatever wins it, the finally block can close the host.
  const opening: Promise<DevHost> = loadDevHost().then(({ openDevHost }) => openDevHost({
    realDir, pluginId: manifest.name, source, callTimeoutMs: request.timeoutMs,
    onLog: (line) => io.stderr.write(`${formatLogLine(line)}\n`),
    onSpawn: (pid) => note(`worker pid ${pid ?? '(not started)'}`),
  }));
  // Its failure is reported through `work` below.
  opening.then((dev) => note(`temporary profile ${dev.profileDir} (deleted at the end)`), () => undefined);
  try {
    const work = (async () => {
      const dev = await opening;
      await dev.configure(request.config);
      await dev.enable();
      const { host } = dev;
      const result = request.method === 'data'
        ? await host.callData(manifest.name, request.key, request.params)
        : await host.performAction(manifest.name, request.key, request.params);
      note(`${request.method} "${request.key}" answered; the worker started in ${Math.round(host.supervisor.runtime(manifest.name).activationMs ?? 0)} ms`);
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
    const dev = await opening.catch(() => undefined); // a failed open has already cleaned up after itself
    for (const problem of (await dev?.close()) ?? []) io.stderr.write(`warning: ${problem}\n`);
    note('host stopped; no worker process is left');
  }
}

export const runCommand: CliCommand = {
  summary: 'start a plugin folder in a local host and call one data or action handler',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(args, io, { usage: USAGE, options: OPTIONS, maxPositionals: 1 });
    if (!parsed.ok) return parsed.exitCode;
    let request: RunRequest;
    try {
      request = toRequest(parsed.values, parsed.positionals);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr.write(`error INVALID_INPUT: ${error.message}\n${USAGE}\n`);
      return EXIT.usage;
    }
    return runRequest(request, io);
  },
};
