// The Webhook inbox example through the public test harness (@plinth/sdk/testing): requests go
// to the real local webhook server, tasks land in the real (in-memory) workspace.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A harness for this plugin; `withoutCapabilities` runs it as if the user had not approved those. */
async function inbox(t: TestContext, withoutCapabilities: string[] = []) {
  const harness = await createTestHarness({ manifest: PLUGIN_DIR, source: 'bundled', withoutCapabilities });
  t.after(() => harness.close());
  await harness.setup();
  return harness;
}

test('in an empty workspace a POST creates an Inbox project once and files tasks there (201 with the task id)', async (t) => {
  const harness = await inbox(t);
  const first = await harness.webhook('inbox', { body: { title: '  Call the printer ', description: 'Toner is low' } });
  assert.equal(first.status, 201);
  assert.match(first.headers['content-type'] ?? '', /application\/json/);
  const { id, projectId } = JSON.parse(first.body) as { id: string; projectId: string };
  const task = harness.workspace.tasks.get(id);
  assert.equal(task?.title, 'Call the printer');
  assert.equal(task?.description, 'Toner is low');
  assert.equal(task?.projectId, projectId);
  assert.equal(harness.workspace.projects.get(projectId)?.name, 'Inbox');

  const second = JSON.parse((await harness.webhook('inbox', { body: { title: 'Second' } })).body) as { projectId: string };
  assert.equal(second.projectId, projectId, 'the remembered Inbox is reused');
  assert.equal(harness.workspace.projects.list().items.length, 1);
  assert.equal(harness.state.get({ scopeKind: 'instance', stateKey: 'inbox-project-id' }), projectId);
  assert.deepEqual(harness.activity().map((entry) => entry.action).sort(), ['project.created', 'task.created', 'task.created']);
});

test('concurrent first requests still make a single Inbox project', async (t) => {
  const harness = await inbox(t);
  const answers = await Promise.all([1, 2, 3].map((n) => harness.webhook('inbox', { body: { title: `Task ${n}` } })));
  assert.deepEqual(answers.map((a) => a.status), [201, 201, 201]);
  assert.equal(harness.workspace.projects.list().items.length, 1);
  assert.equal(harness.workspace.tasks.list().items.length, 3);
});

test('a task goes into the projectId given, and a deleted Inbox is made again', async (t) => {
  const harness = await inbox(t);
  const project = await harness.seed.project({ name: 'Launch' });
  const answer = await harness.webhook('inbox', { body: { title: 'Ship it', projectId: project.id } });
  assert.equal(answer.status, 201);
  assert.equal(harness.workspace.tasks.get(JSON.parse(answer.body).id)?.projectId, project.id);
  assert.deepEqual(harness.workspace.projects.list().items.map((p) => p.name), ['Launch'], 'no Inbox was needed');

  const firstInbox = JSON.parse((await harness.webhook('inbox', { body: { title: 'A' } })).body).projectId as string;
  harness.workspace.projects.delete({ user: true }, firstInbox);
  const secondInbox = JSON.parse((await harness.webhook('inbox', { body: { title: 'B' } })).body).projectId as string;
  assert.notEqual(secondInbox, firstInbox);
  assert.equal(harness.workspace.projects.get(secondInbox)?.name, 'Inbox');
});

test('bad bodies get 400 with a message saying what to fix; unknown projects 404; other methods 405', async (t) => {
  const harness = await inbox(t);
  const cases: Array<[string, number, RegExp]> = [
    ['{"title": ', 400, /must be JSON/],
    ['[1, 2]', 400, /JSON object/],
    ['{"description": "no title"}', 400, /"title" is required/],
    ['{"title": "   "}', 400, /"title" is required/],
    ['{"title": "x", "description": 7}', 400, /"description" must be a string/],
    [JSON.stringify({ title: 'x'.repeat(501) }), 400, /title/],
    ['{"title": "x", "projectId": "no-such-project"}', 404, /no-such-project/],
  ];
  for (const [body, status, message] of cases) {
    const answer = await harness.webhook('inbox', { body, headers: { 'content-type': 'application/json' } });
    assert.equal(answer.status, status, body);
    assert.match((JSON.parse(answer.body) as { error: string }).error, message, body);
  }
  const get = await harness.webhook('inbox', { method: 'GET' });
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, 'POST');
  assert.equal(harness.workspace.tasks.list().items.length, 0, 'no bad request created anything');
});

test('without tasks.write the sender gets 502, nothing is created and the log names CAPABILITY_DENIED', async (t) => {
  const harness = await inbox(t, ['tasks.write']);
  const answer = await harness.webhook('inbox', { body: { title: 'Denied' } });
  assert.equal(answer.status, 502);
  assert.equal(harness.workspace.tasks.list().items.length, 0);
  const line = harness.logs.find((l) => l.level === 'error');
  assert.equal((line?.data as { code?: string } | undefined)?.code, 'CAPABILITY_DENIED');
  assert.match(String((line?.data as { message?: string } | undefined)?.message), /tasks\.write/);
});
