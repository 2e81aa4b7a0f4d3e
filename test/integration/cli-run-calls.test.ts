/**
 * `plinth-plugin run` covers everything a plugin registers: tools, jobs, webhooks, events and
 * health, with config, secrets, seeded fixtures and a kept profile; and `list` prints a
 * profile's plugins. Real plugin folders, the real host core and real worker processes.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliCaptured as cli } from '../support/cli.ts';
import { createPluginRoot, createTempDir, writePlugin } from '../support/plugin-folders.ts';

/** One plugin registering one of everything; `setup` records what reached it in state. */
const WORKER = `import { definePlugin } from '@plinth/sdk';
export default definePlugin({
  async setup(ctx) {
    const key = (stateKey) => ({ scopeKind: 'instance', stateKey });
    ctx.data.register('seen', async () => ({
      count: await ctx.state.get(key('count')),
      tasks: (await ctx.tasks.list()).items.map((t) => t.title).sort(),
      lastEvent: await ctx.state.get(key('lastEvent')),
      token: await ctx.secrets.resolve((await ctx.config.get()).token),
    }));
    ctx.actions.register('bump', async () => {
      const count = ((await ctx.state.get(key('count'))) ?? 0) + 1;
      await ctx.state.set(key('count'), count);
      return { count };
    });
    ctx.tools.register('double', async (params) => ({ content: String(params.n * 2), data: { n: params.n * 2 } }));
    ctx.jobs.register('tidy', async (job) => { await ctx.state.set(key('job'), job.trigger); });
    ctx.jobs.register('broken', async () => { throw new Error('disk full'); });
    ctx.events.on('task.created', async (event) => { await ctx.state.set(key('lastEvent'), event.payload.title); });
    ctx.events.on('plugin.other.ping', async (event) => { if (event.payload.fail) throw new Error('ping refused'); });
  },
  async onHealth() { return { status: 'degraded', message: 'half way' }; },
  async onWebhook(input) {
    return { status: 202, headers: { 'x-seen': input.method }, body: JSON.stringify({ body: input.body, sig: input.headers['x-sig'] }) };
  },
});
`;

function plugin(t: TestContext): string {
  const root = createPluginRoot('plinth-run-calls-');
  t.after(root.cleanup);
  return writePlugin(root.dir, {
    name: 'every-call',
    worker: WORKER,
    capabilities: ['plugin.state.read', 'plugin.state.write', 'tasks.read', 'secrets.read-ref', 'events.subscribe',
      'agent.tools.register', 'jobs.schedule', 'webhooks.receive'],
    plinth: {
      configSchema: { type: 'object', properties: { token: { type: 'string', format: 'secret' }, board: { type: 'string' } } },
      tools: [{ name: 'double', displayName: 'Double', description: 'Doubles n', parametersSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }],
      jobs: [{ jobKey: 'tidy', displayName: 'Tidy', schedule: '0 3 * * *' }, { jobKey: 'broken', displayName: 'Broken', schedule: '0 4 * * *' }],
      webhooks: [{ endpointKey: 'inbox', displayName: 'Inbox' }],
    },
  });
}

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

test('--tool calls a declared tool with its params checked against parametersSchema', async (t) => {
  const dir = plugin(t);
  const ok = await cli(['run', dir, '--tool', 'double', '--params', '{"n":21}']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(json(ok.stdout), { content: '42', data: { n: 42 } });
  const invalid = await cli(['run', dir, '--tool', 'double']);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /^error INVALID_INPUT: .*n/m);
  const unknown = await cli(['run', dir, '--tool', 'triple']);
  assert.match(unknown.stderr, /^error NOT_FOUND: Tool "triple" is not declared in plinth\.tools/m);
});

test('--job runs the job now and prints the run; a failing job exits 1 with its message', async (t) => {
  const dir = plugin(t);
  const ok = await cli(['run', dir, '--job', 'tidy']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(json(ok.stdout).status, 'succeeded');
  assert.equal(json(ok.stdout).trigger, 'manual');
  const failed = await cli(['run', dir, '--job', 'broken']);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /^error PLUGIN_ERROR: Job "broken" failed: disk full$/m);
});

test('--webhook sends a real HTTP request with method, headers and body, and prints the answer', async (t) => {
  const dir = plugin(t);
  const bodyFile = path.join(createTempDir(t), 'body.txt');
  writeFileSync(bodyFile, 'from a file');
  const outcome = await cli(['run', dir, '--webhook', 'inbox', '--method', 'put', '--header', 'X-Sig: abc', '--body', `@${bodyFile}`]);
  assert.equal(outcome.code, 0, outcome.stderr);
  const answer = json(outcome.stdout) as { status: number; headers: Record<string, string>; body: string };
  assert.equal(answer.status, 202);
  assert.equal(answer.headers['x-seen'], 'PUT');
  assert.deepEqual(JSON.parse(answer.body), { body: 'from a file', sig: 'abc' });
});

test('--event publishes an event and waits for the handler; no matching subscription or a failing handler exits 1', async (t) => {
  const dir = plugin(t);
  const profile = path.join(createTempDir(t), 'profile');
  const published = await cli(['run', dir, '--event', 'task.created', '--payload', '{"id":"t1","title":"from the CLI"}', '--profile', profile]);
  assert.equal(published.code, 0, published.stderr);
  assert.equal(json(published.stdout).deliveredTo, 1);
  // The handler wrote state before the run ended: the kept profile shows it.
  const seen = await cli(['run', dir, '--data', 'seen', '--secret', 'token=s3cret', '--profile', profile]);
  assert.equal(seen.code, 0, seen.stderr);
  assert.equal(json(seen.stdout).lastEvent, 'from the CLI');

  const unmatched = await cli(['run', dir, '--event', 'comment.created']);
  assert.equal(unmatched.code, 1);
  assert.match(unmatched.stderr, /^error NOT_FOUND: No subscription of every-call matches "comment\.created"/m);
  const failing = await cli(['run', dir, '--event', 'plugin.other.ping', '--payload', '{"fail":true}']);
  assert.equal(failing.code, 1);
  assert.match(failing.stderr, /ping refused/);
  assert.match(failing.stderr, /^error PLUGIN_ERROR: The plugin's handler for "plugin\.other\.ping" failed/m);
});

test('--health prints onHealth', async (t) => {
  const outcome = await cli(['run', plugin(t), '--health']);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.deepEqual(json(outcome.stdout), { status: 'degraded', message: 'half way' });
});

test('--secret stores a secret field the worker resolves; a field that is not a secret is refused', async (t) => {
  const dir = plugin(t);
  const ok = await cli(['run', dir, '--data', 'seen', '--config', '{"board":"main"}', '--secret', 'token=s3cret']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(json(ok.stdout).token, 's3cret');
  const wrong = await cli(['run', dir, '--data', 'seen', '--secret', 'board=x']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^error INVALID_INPUT: --secret board: plinth\.configSchema has no secret property "board"/m);
});

test('--seed creates projects, tasks, comments and state first; a wrong fixture names the field and runs nothing', async (t) => {
  const dir = plugin(t);
  const tmp = createTempDir(t);
  const fixtures = path.join(tmp, 'fixtures.json');
  writeFileSync(fixtures, JSON.stringify({
    projects: [{ name: 'Launch', tasks: [{ title: 'b', status: 'done', comments: [{ body: 'hi' }] }, { title: 'a' }] }],
    state: [{ stateKey: 'count', value: 41 }],
  }));
  const seeded = await cli(['run', dir, '--data', 'seen', '--seed', fixtures, '--secret', 'token=x']);
  assert.equal(seeded.code, 0, seeded.stderr);
  assert.deepEqual({ ...json(seeded.stdout), token: undefined }, { count: 41, tasks: ['a', 'b'], lastEvent: null, token: undefined });

  writeFileSync(fixtures, JSON.stringify({ projects: [{ name: 'Launch', tasks: [{ title: 'b', status: 'finished' }] }] }));
  const wrong = await cli(['run', dir, '--data', 'seen', '--seed', fixtures]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /projects\[0\]\.tasks\[0\]\.status/);
  const missing = await cli(['run', dir, '--data', 'seen', '--seed', path.join(tmp, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--seed: cannot read/);
});

test('--profile keeps state between runs, and list prints that profile\'s plugins', async (t) => {
  const dir = plugin(t);
  const profile = path.join(createTempDir(t), 'kept');
  assert.deepEqual(json((await cli(['run', dir, '--action', 'bump', '--profile', profile])).stdout), { count: 1 });
  assert.deepEqual(json((await cli(['run', dir, '--action', 'bump', '--profile', profile])).stdout), { count: 2 });
  const listed = await cli(['list', '--profile', profile]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^ID\s+VERSION\s+STATE\s+SOURCE\s+ENGINES\.PLINTH$/m);
  assert.match(listed.stdout, /^every-call\s+1\.0\.0\s+ready\s+unpacked\s+\^1\.0\.0$/m);
  const asJson = JSON.parse((await cli(['list', '--profile', profile, '--json'])).stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(asJson.map((p) => [p.id, p.version, p.state, p.source, p.enginesPlinth]), [['every-call', '1.0.0', 'ready', 'unpacked', '^1.0.0']]);

  const empty = createTempDir(t);
  mkdirSync(path.join(empty, 'x'));
  const notProfile = await cli(['list', '--profile', empty]);
  assert.equal(notProfile.code, 1);
  assert.match(notProfile.stderr, /is not a Plinth profile: it has no plinth\.db/);
});

test('wrong combinations are a wrong command line (exit 2)', async (t) => {
  const dir = plugin(t);
  const cases: Array<[string[], RegExp]> = [
    [['run', dir, '--job', 'tidy', '--tool', 'double'], /give exactly one of --data, --action, --tool, --job, --webhook, --event or --health \(got --tool, --job\)/],
    [['run', dir, '--job', 'tidy', '--params', '{}'], /--params applies to --data, --action and --tool, not --job/],
    [['run', dir, '--data', 'seen', '--body', 'x'], /--method, --header and --body apply to --webhook only/],
    [['run', dir, '--webhook', 'inbox', '--header', 'nocolon'], /--header must be "name: value"/],
    [['run', dir, '--health', '--payload', '{}'], /--payload applies to --event only/],
    [['run', dir, '--data', 'seen', '--secret', 'novalue'], /--secret must be name=value/],
    // A mistyped call option is named in balanced quotes (Node's own text ends in a stray quote).
    [['run', dir, '--jobs', 'tidy'], /^Unknown option "--jobs"; the options are listed below\.$/m],
  ];
  for (const [args, pattern] of cases) {
    const outcome = await cli(args);
    assert.equal(outcome.code, 2, args.join(' '));
    assert.match(outcome.stderr, pattern);
  }
});
