/**
 * The command line of `plinth-plugin run`: its options, usage text and the parsed request.
 * Exactly one "call" option says what to exercise: a data, action or tool handler, a job, a
 * webhook, an event or the health hook.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Json, JsonObject } from '../../protocol/json.ts';
import { CALL_TIMEOUT_MS } from '../../protocol/rpc.ts';

/** Largest `--timeout` (ms): the most `setTimeout` can wait (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const RUN_USAGE = [
  'Usage: plinth-plugin run <dir> <call> [options]',
  '  Starts the plugin folder dir in a local Plinth host (a temporary profile deleted afterwards,',
  '  or --profile DIR), makes one call and prints its JSON result to stdout. The plugin\'s log lines',
  '  go to stderr. Exit 0 on success, 1 when the plugin or the call fails ("error <CODE>: <message>"',
  '  on stderr), 2 for a wrong command line.',
  'Calls (exactly one):',
  '  --data <key>       the handler of ctx.data.register(key, ...), with --params',
  '  --action <key>     the handler of ctx.actions.register(key, ...), with --params',
  '  --tool <name>      the agent tool declared in plinth.tools, with --params (checked against its parametersSchema)',
  '  --job <jobKey>     runs the job declared in plinth.jobs now (trigger "manual") and prints the run',
  '  --webhook <key>    sends an HTTP request to the endpoint declared in plinth.webhooks; prints { status, headers, body }',
  '  --event <name>     publishes an event (a core event such as task.created, or plugin.<id>.<name>) with --payload',
  '                     and waits until the plugin\'s subscriptions have handled it',
  '  --health           calls onHealth and prints { status, message }',
  'Options:',
  '  --params <json>    the handler\'s or tool\'s params, as JSON (default: null), e.g. \'{"limit":5}\'',
  '  --payload <json>   the event payload, as JSON (default: null)',
  '  --method <verb>    webhook request method (default: POST)',
  '  --header <h: v>    webhook request header, repeatable, e.g. --header "x-signature: abc"',
  '  --body <text>      webhook request body (default: empty); @file reads it from a file',
  '  --config <json>    the plugin\'s config, a JSON object checked against plinth.configSchema (default: {})',
  '  --secret <k=v>     a secret config field (a property with "format": "secret"), repeatable; stored encrypted',
  '  --seed <file>      workspace fixtures to create first: { projects: [{ name, tasks: [{ title, comments }] }], state }',
  '  --profile <dir>    keep the workspace, state, config and ctx.dataDir in dir between runs (created when missing)',
  `  --timeout <ms>     how long the call may take (default: ${CALL_TIMEOUT_MS})`,
  '  -v, --verbose      also print what the host does (worker pid, start-up time, shutdown)',
].join('\n');

export const RUN_OPTIONS = {
  data: { type: 'string' },
  action: { type: 'string' },
  tool: { type: 'string' },
  job: { type: 'string' },
  webhook: { type: 'string' },
  event: { type: 'string' },
  health: { type: 'boolean' },
  params: { type: 'string' },
  payload: { type: 'string' },
  method: { type: 'string' },
  header: { type: 'string', multiple: true },
  body: { type: 'string' },
  config: { type: 'string' },
  secret: { type: 'string', multiple: true },
  seed: { type: 'string' },
  profile: { type: 'string' },
  timeout: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

/** The one call a run makes. */
export type RunCall =
  | { kind: 'data' | 'action' | 'tool'; key: string; params: Json }
  | { kind: 'job'; key: string }
  | { kind: 'webhook'; key: string; method: string; headers: Record<string, string>; body: string | undefined }
  | { kind: 'event'; name: string; payload: Json }
  | { kind: 'health' };

/** What one run does, parsed from the command line. */
export interface RunRequest {
  dir: string;
  call: RunCall;
  config: JsonObject | undefined;
  /** `--secret` fields by name, merged into `config`. */
  secrets: Record<string, string>;
  /** Parsed `--seed` document (checked against the fixtures shape when applied). */
  seed: unknown;
  /** `--profile`, resolved against the current folder. */
  profileDir: string | undefined;
  timeoutMs: number;
  verbose: boolean;
}

/** A wrong command line: reported with its code and exit 2. */
export class UsageError extends Error {}

function parseJson(option: string, text: string, example: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new UsageError(`--${option} is not valid JSON (${(error as Error).message}); quote it for your shell, e.g. --${option} '${example}'`);
  }
}

type Values = { [K in keyof typeof RUN_OPTIONS]?: (typeof RUN_OPTIONS)[K] extends { multiple: true } ? string[] : string | boolean };

function parseCall(values: Values): RunCall {
  const given = (['data', 'action', 'tool', 'job', 'webhook', 'event', 'health'] as const).filter((k) => values[k] !== undefined && values[k] !== false);
  if (given.length !== 1) {
    throw new UsageError(`give exactly one of --data, --action, --tool, --job, --webhook, --event or --health${given.length > 1 ? ` (got ${given.map((k) => `--${k}`).join(', ')})` : ''}`);
  }
  const kind = given[0] as (typeof given)[number];
  if (kind === 'health') return { kind };
  const key = values[kind] as string;
  if (key === '') throw new UsageError(`--${kind} needs a non-empty ${kind === 'event' ? 'name' : 'key'}`);
  const params = values.params === undefined ? null : parseJson('params', values.params as string, '{"limit":5}');
  // A tool's parametersSchema has "type": "object" at its root, so no --params means {}.
  if (kind === 'tool') return { kind, key, params: values.params === undefined ? {} : params };
  if (kind === 'data' || kind === 'action') return { kind, key, params };
  if (values.params !== undefined) throw new UsageError(`--params applies to --data, --action and --tool, not --${kind}`);
  if (kind === 'job') return { kind, key };
  if (kind === 'event') return { kind, name: key, payload: values.payload === undefined ? null : parseJson('payload', values.payload as string, '{"id":"t1"}') };
  const headers: Record<string, string> = {};
  for (const header of (values.header as string[] | undefined) ?? []) {
    const at = header.indexOf(':');
    if (at <= 0) throw new UsageError(`--header must be "name: value", got "${header}"`);
    headers[header.slice(0, at).trim().toLowerCase()] = header.slice(at + 1).trim();
  }
  return { kind, key, method: ((values.method as string | undefined) ?? 'POST').toUpperCase(), headers, body: values.body as string | undefined };
}

/**
 * Reads the `--seed` fixtures document (`run`, `dev`), relative to `cwd`; it is checked against
 * the fixtures shape when applied.
 * @throws UsageError when the file cannot be read or is not JSON
 */
export async function readSeedFile(name: string, cwd: string): Promise<unknown> {
  const file = path.resolve(cwd, name);
  const text = await readFile(file, 'utf8').catch((error: Error) => { throw new UsageError(`--seed: cannot read ${file} (${error.message})`); });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--seed: ${file} is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Parses the options and positionals of `run`; reads `--seed` and `--body @file` relative to `cwd`.
 * @throws UsageError for a wrong command line
 */
export async function toRunRequest(values: Values, positionals: string[], cwd: string): Promise<RunRequest> {
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError('name the plugin folder to run, e.g. plinth-plugin run . --data greeting');
  const call = parseCall(values);
  if (call.kind !== 'webhook' && (values.method !== undefined || values.header !== undefined || values.body !== undefined)) {
    throw new UsageError('--method, --header and --body apply to --webhook only');
  }
  if (call.kind !== 'event' && values.payload !== undefined) throw new UsageError('--payload applies to --event only');
  if (call.kind === 'webhook' && call.body?.startsWith('@')) {
    const file = path.resolve(cwd, call.body.slice(1));
    call.body = await readFile(file, 'utf8').catch((error: Error) => { throw new UsageError(`--body ${call.body}: cannot read ${file} (${error.message})`); });
  }
  let config: JsonObject | undefined;
  if (values.config !== undefined) {
    const parsed = parseJson('config', values.config as string, '{"board":"main"}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError('--config must be a JSON object, e.g. --config \'{"board":"main"}\'');
    }
    config = parsed;
  }
  const secrets: Record<string, string> = {};
  for (const pair of (values.secret as string[] | undefined) ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--secret must be name=value, got "${pair}"`);
    secrets[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const seed = values.seed === undefined ? undefined : await readSeedFile(values.seed as string, cwd);
  let timeoutMs = CALL_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    const text = values.timeout as string;
    timeoutMs = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(timeoutMs >= 1 && timeoutMs <= MAX_TIMEOUT_MS)) {
      throw new UsageError(`--timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, got "${text}"`);
    }
  }
  return {
    dir, call, config, secrets, seed, timeoutMs, verbose: values.verbose === true,
    profileDir: values.profile === undefined ? undefined : path.resolve(cwd, values.profile as string),
  };
}
