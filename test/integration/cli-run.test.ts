/**
 * `plinth-plugin run` as an author uses it: real plugin folders, the real
 * host core and real worker processes; as a real process through `sdk/cli/bin.js` and
 * in-process through `runCli`. After every run, each worker pid the CLI reported (`-v`) must
 * be gone and the temporary profile deleted.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCliCaptured as cli, type CliOutcome as Outcome } from '../support/cli.ts';
import { createPluginRoot, pidAlive, writePlugin, type PluginSpec } from '../support/plugin-folders.ts';

const BIN = fileURLToPath(new URL('../../sdk/cli/bin.js', import.meta.url));
const HELLO = fileURLToPath(new URL('../../plugins/plinth-hello', import.meta.url));

/** Runs `node sdk/cli/bin.js …` as a real process; `onStderr` sees stderr as it arrives. */
function cliProcess(args: string[], onStderr?: (soFar: string, child: ReturnType<typeof spawn>) => void): Promise<Outcome> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Worker pids the CLI reported with `-v`. */
function reportedPids(stderr: string): number[] {
  return [...stderr.matchAll(/^\[run\] worker pid (\d+)$/gm)].map((m) => Number(m[1]));
}

/** The run left nothing behind: every reported worker has exited and the temp profile is gone. */
function assertNothingLeft(outcome: Outcome, expectedWorkers: number): void {
  const pids = reportedPids(outcome.stderr);
  assert.equal(pids.length, expectedWorkers, `worker pids reported:\n${outcome.stderr}`);
  for (const pid of pids) assert.equal(pidAlive(pid), false, `worker ${pid} is still running`);
  const profile = /^\[run\] temporary profile (.+) \(deleted at the end\)$/m.exec(outcome.stderr)?.[1];
  if (expectedWorkers > 0) assert.ok(profile, 'the temporary profile was reported');
  // The profile lives in a temp folder of its own (`plinth-run-*`); all of it must be gone.
  if (profile) assert.equal(existsSync(path.dirname(profile)), false, `${path.dirname(profile)} was not deleted`);
}

/** One plugin folder in a temp root, removed after the test. */
function plugin(t: TestContext, spec: PluginSpec): string {
  const root = createPluginRoot('plinth-run-test-');
  t.after(root.cleanup);
  return writePlugin(root.dir, spec);
}

/** A worker module whose setup runs `body` (with `ctx` in scope). */
const worker = (body: string) => `import { definePlugin } from '@plinth/sdk';
export default definePlugin({ async setup(ctx) { ${body} } });`;

test('a real `plinth-plugin run --data` prints the JSON result to stdout, exits 0 and leaves no process', async () => {
  const outcome = await cliProcess(['run', HELLO, '--data', 'greeting', '-v']);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.deepEqual(JSON.parse(outcome.stdout), { message: 'Hello from the plinth-hello worker', count: 0 });
  assertNothingLeft(outcome, 1);
});

test('--action runs an action; ctx.logger lines go to stderr; every run starts from an empty profile', async () => {
  for (let i = 0; i < 2; i++) {
    const outcome = await cli(['run', HELLO, '--action', 'increment', '--verbose']);
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.equal(outcome.stdout, '{\n  "count": 1\n}\n');
    assert.match(outcome.stderr, /^\[logger info\] counter incremented \{"count":1\}$/m);
    assertNothingLeft(outcome, 1);
  }
});

test('--params reaches the handler; --config is checked and saved as Settings would, secrets stored as references', async (t) => {
  const dir = plugin(t, {
    name: 'echo-config',
    capabilities: ['secrets.read-ref'],
    plinth: { configSchema: { type: 'object', properties: { token: { type: 'string', format: 'secret' }, board: { type: 'string' } }, required: ['board'] } },
    worker: worker(`ctx.data.register('echo', async (params) => {
      const config = await ctx.config.get();
      return { params, board: config.board, tokenIsRef: config.token.startsWith('secret:'), token: await ctx.secrets.resolve(config.token) };
    });`),
  });
  const outcome = await cli(['run', dir, '--data', 'echo', '--params', '{"limit":5,"tags":["a"]}', '--config', '{"board":"main","token":"s3cret"}', '-v']);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.deepEqual(JSON.parse(outcome.stdout), { params: { limit: 5, tags: ['a'] }, board: 'main', tokenIsRef: true, token: 's3cret' });
  assertNothingLeft(outcome, 1);

  const missing = await cli(['run', dir, '--data', 'echo', '-v']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error INVALID_INPUT: The plugin needs config: board is required; pass it with --config/m);
  assertNothingLeft(missing, 0);

  const wrong = await cli(['run', dir, '--data', 'echo', '--config', '{"board":7}', '-v']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^error INVALID_INPUT: Settings not saved: board must be string$/m);
  assertNothingLeft(wrong, 0);

  const noSchema = await cli(['run', HELLO, '--data', 'greeting', '--config', '{"x":1}']);
  assert.equal(noSchema.code, 1);
  assert.match(noSchema.stderr, /^error INVALID_INPUT: Plugin "Hello" has no settings \(no configSchema\)$/m);
});

test('a handler returning undefined prints null', async (t) => {
  const dir = plugin(t, { name: 'returns-nothing', worker: worker(`ctx.actions.register('noop', async () => undefined);`) });
  const outcome = await cli(['run', dir, '--action', 'noop', '-v']);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.equal(outcome.stdout, 'null\n');
  assertNothingLeft(outcome, 1);
});

test('setup throwing exits 1 with PLUGIN_ERROR and the thrown message', async (t) => {
  const dir = plugin(t, { name: 'setup-throws', worker: worker(`throw new Error('cannot reach the moon');`) });
  const outcome = await cli(['run', dir, '--data', 'anything', '-v']);
  assert.equal(outcome.code, 1);
  assert.equal(outcome.stdout, '');
  assert.match(outcome.stderr, /^error PLUGIN_ERROR: Setup failed: cannot reach the moon$/m);
  assertNothingLeft(outcome, 1);
});

test('a worker that exits mid-call gives WORKER_CRASHED with its stderr shown, and no restarted worker survives (real process)', async (t) => {
  const dir = plugin(t, {
    name: 'crashes',
    // process.exit exists only for an unsandboxed worker.
    capabilities: ['system.unsandboxed'],
    worker: worker(`ctx.data.register('boom', async () => { console.error('about to exit'); process.exit(3); });`),
  });
  const outcome = await cliProcess(['run', dir, '--data', 'boom', '-v']);
  assert.equal(outcome.code, 1);
  assert.equal(outcome.stdout, '');
  assert.match(outcome.stderr, /^\[stderr\] about to exit$/m);
  assert.match(outcome.stderr, /^error WORKER_CRASHED: The worker of plugin "crashes" exited with code 3$/m);
  assertNothingLeft(outcome, 1);
});

test('a hanging handler with --timeout 300 gives TIMEOUT promptly', async (t) => {
  const dir = plugin(t, { name: 'hangs', worker: worker(`ctx.data.register('wait', () => new Promise(() => {}));`) });
  const started = performance.now();
  const outcome = await cli(['run', dir, '--data', 'wait', '--timeout', '300', '-v']);
  assert.equal(outcome.code, 1);
  assert.match(outcome.stderr, /^error TIMEOUT: .*did not answer data\.get within 300 ms$/m);
  assert.ok(performance.now() - started < 10_000, 'the run ended soon after the timeout');
  assertNothingLeft(outcome, 1);
});

test('a host call without its capability gives CAPABILITY_DENIED naming the capability', async (t) => {
  const dir = plugin(t, { name: 'no-state-cap', worker: worker(`ctx.data.register('peek', () => ctx.state.get({ scopeKind: 'instance', stateKey: 'x' }));`) });
  const outcome = await cli(['run', dir, '--data', 'peek', '-v']);
  assert.equal(outcome.code, 1);
  assert.match(outcome.stderr, /^error CAPABILITY_DENIED: .*"plugin\.state\.read".*$/m);
  assertNothingLeft(outcome, 1);
});

test('a 9 MiB result gives PAYLOAD_TOO_LARGE', async (t) => {
  const dir = plugin(t, { name: 'too-big', worker: worker(`ctx.data.register('big', () => 'x'.repeat(9 * 1024 * 1024));`) });
  const outcome = await cli(['run', dir, '--data', 'big', '-v']);
  assert.equal(outcome.code, 1);
  assert.match(outcome.stderr, /^error PAYLOAD_TOO_LARGE: .*over the 8\.0 MiB RPC message limit/m);
  assertNothingLeft(outcome, 1);
});

test('an unknown key gives NOT_FOUND saying how to register it', async (t) => {
  const dir = plugin(t, { name: 'few-keys', worker: worker(`ctx.data.register('one', () => 1);`) });
  const outcome = await cli(['run', dir, '--action', 'one', '-v']);
  assert.equal(outcome.code, 1);
  assert.match(outcome.stderr, /^error NOT_FOUND: No action handler "one" is registered; register it with ctx\.actions\.register\("one", handler\) in setup$/m);
  assertNothingLeft(outcome, 1);
});

test('an invalid manifest lists every problem and starts nothing', async (t) => {
  const dir = plugin(t, { name: 'Bad_Name', capabilities: ['tasks.readall'], worker: worker('') });
  const outcome = await cli(['run', dir, '--data', 'x', '-v']);
  assert.equal(outcome.code, 1);
  assert.match(outcome.stderr, /is not a valid Plinth plugin \(2 problems\):/);
  assert.match(outcome.stderr, /^error: name: "Bad_Name" /m);
  assert.match(outcome.stderr, /^error: plinth\.capabilities\[0\]: "tasks\.readall" is not a known capability/m);
  assert.match(outcome.stderr, /^error INVALID_INPUT: .* is not a valid Plinth plugin; fix the problems listed above$/m);
  assertNothingLeft(outcome, 0);
});

test('wrong command lines exit 2 with a clear error: bad --params JSON, no key, two keys, bad --timeout, --config not an object', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['run', HELLO, '--data', 'greeting', '--params', '{limit:5}'], /^error INVALID_INPUT: --params is not valid JSON \(.*\); quote it for your shell/m],
    [['run', HELLO], /^error INVALID_INPUT: give exactly one of --data, --action, --tool, --job, --webhook, --event or --health$/m],
    [['run', HELLO, '--data', 'a', '--action', 'b'], /exactly one of --data/],
    [['run', '--data', 'greeting'], /name the plugin folder to run/],
    [['run', HELLO, '--data', 'greeting', '--timeout', '2s'], /--timeout must be a whole number of milliseconds/],
    [['run', HELLO, '--data', 'greeting', '--config', '[1]'], /--config must be a JSON object/],
  ];
  for (const [args, pattern] of cases) {
    const outcome = await cli(args);
    assert.equal(outcome.code, 2, args.join(' '));
    assert.match(outcome.stderr, pattern);
    assert.match(outcome.stderr, /^Usage: plinth-plugin run <dir>/m);
    assert.equal(outcome.stdout, '');
    assertNothingLeft(outcome, 0);
  }
});

test('Ctrl+C (SIGINT) during a call stops the worker, deletes the profile and exits 130 (real process)', async (t) => {
  const dir = plugin(t, {
    name: 'waits-forever',
    worker: worker(`ctx.data.register('wait', () => { console.log('waiting'); return new Promise(() => {}); });`),
  });
  let sent = false;
  const outcome = await cliProcess(['run', dir, '--data', 'wait', '-v'], (soFar, child) => {
    // The handler's own output (its console goes to the plugin log in the sandbox) says the call is in flight: the signal arrives mid-call.
    if (!sent && /^\[logger info\] waiting$/m.test(soFar)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  assert.ok(sent, outcome.stderr);
  assert.equal(outcome.code, 130, outcome.stderr);
  assert.match(outcome.stderr, /stopped by SIGINT/);
  assertNothingLeft(outcome, 1);
});

test('run --help documents every option', async () => {
  const { code, stdout } = await cli(['run', '--help']);
  assert.equal(code, 0);
  for (const option of ['--data', '--action', '--tool', '--job', '--webhook', '--event', '--health', '--params', '--payload',
    '--method', '--header', '--body', '--config', '--secret', '--seed', '--profile', '--timeout', '--verbose']) {
    assert.match(stdout, new RegExp(`^  (-\\w, )?${option} `, 'm'));
  }
});
