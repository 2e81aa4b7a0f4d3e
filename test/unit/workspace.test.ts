import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/host/db/database.ts';
import { createWorkspace, type Workspace } from '../../main/host/services/workspace/index.ts';
import type { EventEnvelope } from '../../sdk/protocol/entities.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';

const USER = { user: true } as const;
const PLUGIN = { pluginId: '@acme/sync' };
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A workspace on a real SQLite file in a temp dir, with every published event collected. */
function setup(t: TestContext, now?: () => Date): { ws: Workspace; events: EventEnvelope[]; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-ws-'));
  const file = join(dir, 'plinth.db');
  const db = openDatabase(file);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const events: EventEnvelope[] = [];
  const ws = createWorkspace(db, { publish: (event) => events.push(event), ...(now ? { now } : {}) });
  return { ws, events, file };
}

test('projects, tasks and comments round-trip with defaults, ISO times and opaque ids', (t) => {
  const { ws, file } = setup(t);
  const project = ws.projects.create(USER, { name: '  Launch  ' });
  assert.equal(project.name, 'Launch');
  assert.equal(project.description, '');
  assert.match(project.createdAt, ISO_MS);
  assert.equal(project.updatedAt, project.createdAt);
  assert.deepEqual(ws.projects.get(project.id), project);

  const task = ws.tasks.create(USER, { projectId: project.id, title: 'Write docs', customFields: { points: 3, tags: ['a'] } });
  assert.deepEqual(
    { status: task.status, priority: task.priority, description: task.description, customFields: task.customFields },
    { status: 'todo', priority: 'medium', description: '', customFields: { points: 3, tags: ['a'] } },
  );
  assert.deepEqual(ws.tasks.get(task.id), task);

  const comment = ws.comments.create(USER, { taskId: task.id, body: 'Looks good' });
  assert.equal(comment.author, 'user');
  assert.deepEqual(ws.comments.list({ taskId: task.id }), { items: [comment] });
  assert.equal(ws.comments.create(PLUGIN, { taskId: task.id, body: 'synced' }).author, '@acme/sync');
  assert.equal(ws.comments.create(PLUGIN, { taskId: task.id, body: 'from GitHub', author: 'octocat' }).author, 'octocat');

  // Data survives reopening the file.
  const reopened = openDatabase(file);
  t.after(() => reopened.close());
  assert.deepEqual(createWorkspace(reopened, { publish() {} }).tasks.get(task.id), task);
});

test('update changes only the patched fields, bumps updatedAt, and a no-op patch changes nothing', (t) => {
  let clock = Date.parse('2030-01-01T00:00:00.000Z');
  const { ws, events } = setup(t, () => new Date(clock));
  const project = ws.projects.create(USER, { name: 'P', description: 'd' });
  const task = ws.tasks.create(USER, { projectId: project.id, title: 'T', customFields: { a: 1, b: 2 } });
  clock += 1000;

  const done = ws.tasks.update(PLUGIN, task.id, { status: 'done', customFields: { b: 2 } });
  assert.equal(done.status, 'done');
  assert.equal(done.title, 'T');
  assert.deepEqual(done.customFields, { b: 2 }, 'customFields replaces the whole object');
  assert.equal(done.updatedAt, '2030-01-01T00:00:01.000Z');
  assert.equal(done.createdAt, task.createdAt);
  assert.deepEqual(ws.tasks.get(task.id), done);

  const before = events.length;
  clock += 1000;
  assert.deepEqual(ws.tasks.update(PLUGIN, task.id, { status: 'done', title: 'T' }), done);
  assert.deepEqual(ws.tasks.update(PLUGIN, task.id, {}), done);
  assert.deepEqual(ws.projects.update(PLUGIN, project.id, { name: 'P' }), project);
  assert.equal(events.length, before, 'no event for a patch that changes nothing');
  assert.equal(ws.activity.list().items.length, 1, 'only the real update is logged');

  const renamed = ws.projects.update(USER, project.id, { name: 'Q' });
  assert.deepEqual(renamed, { ...project, name: 'Q', updatedAt: '2030-01-01T00:00:02.000Z' });
});

test('paging through 120 tasks with limit 50 gives 3 pages, each task exactly once, in creation order', (t) => {
  const { ws } = setup(t);
  const project = ws.projects.create(USER, { name: 'Big' });
  const created = Array.from({ length: 120 }, (_, i) => ws.tasks.create(USER, { projectId: project.id, title: `t${i}` }).id);

  const pages = [];
  let cursor: string | undefined;
  do {
    const page = ws.tasks.list({ projectId: project.id, limit: 50, ...(cursor ? { cursor } : {}) });
    pages.push(page.items.map((task) => task.id));
    cursor = page.nextCursor;
  } while (cursor);
  assert.deepEqual(pages.map((p) => p.length), [50, 50, 20]);
  assert.deepEqual(pages.flat(), created, 'same-millisecond tasks keep their creation order');
  assert.equal(ws.tasks.list().items.length, 50, 'default limit is 50');
});

test('a page cursor stays valid while tasks are added: nothing skipped or repeated', (t) => {
  const { ws } = setup(t);
  const project = ws.projects.create(USER, { name: 'P' });
  for (let i = 0; i < 5; i += 1) ws.tasks.create(USER, { projectId: project.id, title: `old ${i}` });
  const first = ws.tasks.list({ limit: 3 });
  const added = ws.tasks.create(USER, { projectId: project.id, title: 'new' });
  const second = ws.tasks.list({ limit: 3, cursor: first.nextCursor! });
  assert.deepEqual(second.items.map((task) => task.title), ['old 3', 'old 4', 'new']);
  assert.equal(second.nextCursor, undefined);
  assert.equal(second.items.at(-1)!.id, added.id);
});

test('task filters combine: project, one or several statuses, priority, title text', (t) => {
  const { ws } = setup(t);
  const a = ws.projects.create(USER, { name: 'Alpha' });
  const b = ws.projects.create(USER, { name: 'Beta' });
  ws.tasks.create(USER, { projectId: a.id, title: 'Fix Login bug', status: 'todo', priority: 'high' });
  ws.tasks.create(USER, { projectId: a.id, title: 'Write docs', status: 'in_progress' });
  ws.tasks.create(USER, { projectId: a.id, title: 'Ship', status: 'done', priority: 'high' });
  ws.tasks.create(USER, { projectId: b.id, title: 'login page', status: 'todo', priority: 'low' });
  const titles = (query: Parameters<Workspace['tasks']['list']>[0]) => ws.tasks.list(query).items.map((task) => task.title);

  assert.deepEqual(titles({ projectId: a.id }), ['Fix Login bug', 'Write docs', 'Ship']);
  assert.deepEqual(titles({ projectId: a.id, status: 'todo' }), ['Fix Login bug']);
  assert.deepEqual(titles({ status: ['todo', 'done'] }), ['Fix Login bug', 'Ship', 'login page']);
  assert.deepEqual(titles({ priority: 'high', status: ['done'] }), ['Ship']);
  assert.deepEqual(titles({ titleContains: 'LOGIN' }), ['Fix Login bug', 'login page']);
  assert.deepEqual(titles({ projectId: 'no-such-project' }), []);
  assert.deepEqual(ws.projects.list({ nameContains: 'bet' }).items.map((p) => p.name), ['Beta']);
});

test('unknown ids: get returns null, update and delete throw NOT_FOUND naming the id', (t) => {
  const { ws } = setup(t);
  assert.equal(ws.projects.get('nope'), null);
  assert.equal(ws.tasks.get('nope'), null);
  const notFound = (id: string) => (error: unknown) => hasCode(error, 'NOT_FOUND') && (error as Error).message.includes(`"${id}"`);
  assert.throws(() => ws.projects.update(USER, 'p-x', { name: 'x' }), notFound('p-x'));
  assert.throws(() => ws.projects.delete(USER, 'p-y'), notFound('p-y'));
  assert.throws(() => ws.tasks.update(USER, 't-x', { title: 'x' }), notFound('t-x'));
  assert.throws(() => ws.tasks.delete(USER, 't-y'), notFound('t-y'));
  assert.throws(() => ws.comments.delete(USER, 'c-x'), notFound('c-x'));
  assert.throws(() => ws.tasks.create(USER, { projectId: 'p-z', title: 'x' }), (error) => notFound('p-z')(error) && /no project/.test((error as Error).message));
  assert.throws(() => ws.comments.create(USER, { taskId: 't-z', body: 'x' }), (error) => notFound('t-z')(error) && /no task/.test((error as Error).message));
  assert.deepEqual(ws.comments.list({ taskId: 't-z' }), { items: [] });
});

test('every change publishes its core event with the CONTRACT §3 envelope, after the data is committed', (t) => {
  const { ws, events } = setup(t);
  const project = ws.projects.create(USER, { name: 'P' });
  const task = ws.tasks.create(PLUGIN, { projectId: project.id, title: 'T' });
  const comment = ws.comments.create(USER, { taskId: task.id, body: 'hi' });
  const updated = ws.tasks.update(USER, task.id, { priority: 'low' });
  const renamed = ws.projects.update(USER, project.id, { description: 'new' });
  ws.comments.delete(USER, comment.id);
  ws.tasks.delete(USER, task.id);

  const expected = [
    ['project.created', 'project', project.id, project],
    ['task.created', 'task', task.id, task],
    ['comment.created', 'comment', comment.id, comment],
    ['task.updated', 'task', task.id, updated],
    ['project.updated', 'project', project.id, renamed],
    ['comment.deleted', 'comment', comment.id, { id: comment.id, taskId: task.id }],
    ['task.deleted', 'task', task.id, { id: task.id }],
  ];
  assert.deepEqual(events.map((e) => [e.name, e.entityType, e.entityId, e.payload]), expected);
  for (const event of events) {
    assert.equal(event.projectId, project.id, `${event.name} carries the projectId`);
    assert.match(event.occurredAt, ISO_MS);
    assert.match(event.eventId, /^[0-9a-f-]{36}$/);
  }
  assert.equal(new Set(events.map((e) => e.eventId)).size, events.length, 'event ids are unique');
  assert.equal(events[3]!.occurredAt, updated.updatedAt);

  // The payload is a copy: changing what a caller got back does not change what subscribers saw.
  task.customFields.x = 1;
  assert.deepEqual((events[1]!.payload as { customFields: unknown }).customFields, {});
});

test('events are published only after commit (another connection sees the change) and never for a failed write', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-ws-'));
  const file = join(dir, 'p.db');
  const db = openDatabase(file);
  const reader = openDatabase(file);
  t.after(() => { db.close(); reader.close(); rmSync(dir, { recursive: true, force: true }); });
  const readBack: unknown[] = [];
  const ws = createWorkspace(db, {
    publish: (event) => readBack.push(createWorkspace(reader, { publish() {} }).tasks.get(event.entityId)?.title ?? event.name),
  });
  const project = ws.projects.create(USER, { name: 'P' });
  ws.tasks.create(PLUGIN, { projectId: project.id, title: 'visible' });
  assert.deepEqual(readBack, ['project.created', 'visible']);

  assert.throws(() => ws.tasks.create(PLUGIN, { projectId: 'missing', title: 'x' }), /NOT_FOUND|no project/);
  assert.equal(readBack.length, 2, 'no event for a write that failed');
  assert.equal(ws.activity.list().items.length, 1, 'no activity for a write that failed');
});

test('deleting a project removes its tasks and comments and publishes comment, task, then project deletions', (t) => {
  const { ws, events } = setup(t);
  const keep = ws.projects.create(USER, { name: 'Keep' });
  const kept = ws.tasks.create(USER, { projectId: keep.id, title: 'stays' });
  const gone = ws.projects.create(USER, { name: 'Gone' });
  const t1 = ws.tasks.create(USER, { projectId: gone.id, title: 'a' });
  const t2 = ws.tasks.create(USER, { projectId: gone.id, title: 'b' });
  const c1 = ws.comments.create(USER, { taskId: t1.id, body: 'x' });
  const c2 = ws.comments.create(USER, { taskId: t2.id, body: 'y' });
  events.length = 0;

  ws.projects.delete(PLUGIN, gone.id);
  assert.equal(ws.projects.get(gone.id), null);
  assert.equal(ws.tasks.get(t1.id), null);
  assert.deepEqual(ws.comments.list({ taskId: t1.id }).items, []);
  assert.deepEqual(ws.tasks.list().items.map((task) => task.id), [kept.id]);
  assert.deepEqual(events.map((e) => [e.name, e.entityId, e.projectId]), [
    ['comment.deleted', c1.id, gone.id],
    ['comment.deleted', c2.id, gone.id],
    ['task.deleted', t1.id, gone.id],
    ['task.deleted', t2.id, gone.id],
    ['project.deleted', gone.id, gone.id],
  ]);
  assert.deepEqual(ws.activity.list().items.map((entry) => entry.action), ['project.deleted'], 'the log records the delete asked for');

  events.length = 0;
  const c3 = ws.comments.create(USER, { taskId: kept.id, body: 'z' });
  ws.tasks.delete(USER, kept.id);
  assert.deepEqual(events.slice(1).map((e) => [e.name, e.entityId, e.payload]), [
    ['comment.deleted', c3.id, { id: c3.id, taskId: kept.id }],
    ['task.deleted', kept.id, { id: kept.id }],
  ]);
});

test('plugin writes are logged in the activity log, newest first and filterable; user writes are not', (t) => {
  let clock = Date.parse('2030-05-01T10:00:00.000Z');
  const { ws } = setup(t, () => new Date((clock += 1)));
  const project = ws.projects.create(USER, { name: 'P' });
  const task = ws.tasks.create(PLUGIN, { projectId: project.id, title: 'T' });
  ws.tasks.update(USER, task.id, { title: 'U' });
  ws.tasks.update({ pluginId: 'other' }, task.id, { status: 'done' });
  const comment = ws.comments.create(PLUGIN, { taskId: task.id, body: 'b' });
  ws.comments.delete(PLUGIN, comment.id);

  const log = ws.activity.list().items;
  assert.deepEqual(log.map((entry) => [entry.pluginId, entry.action, entry.entityType, entry.entityId]), [
    ['@acme/sync', 'comment.deleted', 'comment', comment.id],
    ['@acme/sync', 'comment.created', 'comment', comment.id],
    ['other', 'task.updated', 'task', task.id],
    ['@acme/sync', 'task.created', 'task', task.id],
  ]);
  assert.equal(log[3]!.occurredAt, task.createdAt);
  assert.deepEqual(ws.activity.list({ pluginId: 'other' }).items.map((entry) => entry.action), ['task.updated']);

  const first = ws.activity.list({ limit: 3 });
  const rest = ws.activity.list({ limit: 3, cursor: first.nextCursor! });
  assert.deepEqual([...first.items, ...rest.items], log);
  assert.equal(rest.nextCursor, undefined);
});

test('the schema itself refuses bad rows: status/priority CHECKs, customFields object, foreign keys, STRICT types', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-ws-'));
  const db = openDatabase(join(dir, 'p.db'));
  t.after(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });
  const at = new Date().toISOString();
  db.prepare('INSERT INTO projects (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run('p', 'P', at, at);
  const insert = (status: string, priority: string, customFields: string, projectId = 'p') =>
    db.prepare(`INSERT INTO tasks (id, project_id, title, status, priority, custom_fields, created_at, updated_at)
      VALUES (?, ?, 'T', ?, ?, ?, ?, ?)`).run(`t-${Math.random()}`, projectId, status, priority, customFields, at, at);
  insert('todo', 'low', '{}');
  assert.throws(() => insert('doing', 'low', '{}'), /CHECK constraint failed/);
  assert.throws(() => insert('todo', 'urgent', '{}'), /CHECK constraint failed/);
  assert.throws(() => insert('todo', 'low', '[1]'), /CHECK constraint failed/);
  assert.throws(() => insert('todo', 'low', '{}', 'missing'), /FOREIGN KEY constraint failed/);
  assert.throws(() => db.prepare('INSERT INTO projects (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run('q', Buffer.from('x'), at, at), /cannot store BLOB value in TEXT column/);
});
