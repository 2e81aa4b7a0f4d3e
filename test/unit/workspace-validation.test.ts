import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/host/db/database.ts';
import {
  createWorkspace, MAX_CUSTOM_FIELDS_BYTES, MAX_PAGE_LIMIT, MAX_TEXT_BYTES, MAX_TITLE_LENGTH, type Workspace,
} from '../../main/host/services/workspace/index.ts';
import type { EventEnvelope } from '../../sdk/protocol/entities.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';

const USER = { user: true } as const;

function setup(t: TestContext): { ws: Workspace; events: EventEnvelope[]; projectId: string; taskId: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-ws-'));
  const db = openDatabase(join(dir, 'plinth.db'));
  t.after(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });
  const events: EventEnvelope[] = [];
  const ws = createWorkspace(db, { publish: (event) => events.push(event) });
  const projectId = ws.projects.create(USER, { name: 'P' }).id;
  const taskId = ws.tasks.create(USER, { projectId, title: 'T' }).id;
  events.length = 0;
  return { ws, events, projectId, taskId };
}

/** Asserts an INVALID_INPUT whose message matches `message` (the method and the field). */
function rejects(call: () => unknown, message: RegExp): void {
  assert.throws(call, (error: unknown) => {
    assert.ok(hasCode(error, 'INVALID_INPUT'), `expected INVALID_INPUT, got ${String(error)}`);
    assert.match((error as Error).message, message);
    return true;
  });
}

// Untrusted callers (a worker) can send anything; the types do not protect the host.
const any = <T>(value: unknown) => value as T;

test('bad task input is refused with INVALID_INPUT naming the field, and nothing is written', (t) => {
  const { ws, events, projectId } = setup(t);
  rejects(() => ws.tasks.create(USER, { projectId, title: '   ' }), /^tasks\.create: title must not be empty$/);
  rejects(() => ws.tasks.create(USER, { projectId, title: 'x'.repeat(MAX_TITLE_LENGTH + 1) }), /title must be at most 500 characters/);
  rejects(() => ws.tasks.create(USER, any({ projectId, title: 'x', status: 'doing' })), /status must be one of todo, in_progress, done, cancelled/);
  rejects(() => ws.tasks.create(USER, any({ projectId, title: 'x', priority: 'urgent' })), /priority must be one of low, medium, high/);
  rejects(() => ws.tasks.create(USER, { projectId, title: 'x', description: 'é'.repeat(MAX_TEXT_BYTES / 2 + 1) }), /description must be at most 102400 bytes/);
  rejects(() => ws.tasks.create(USER, any({ projectId, title: 'x', customFields: ['a'] })), /customFields must be an object, not an array/);
  rejects(() => ws.tasks.create(USER, any({ projectId, title: 'x', customFields: 'a' })), /customFields must be an object, not string/);
  rejects(() => ws.tasks.create(USER, any({ projectId, title: 'x', customFields: { due: new Date() } })), /customFields\.due must be a JSON value, not a Date/);
  rejects(() => ws.tasks.create(USER, any({ projectId, title: 'x', customFields: { n: { m: Infinity } } })), /customFields\.n\.m must be a finite number/);
  rejects(
    () => ws.tasks.create(USER, { projectId, title: 'x', customFields: { blob: 'x'.repeat(MAX_CUSTOM_FIELDS_BYTES) } }),
    /customFields is \d+ bytes as JSON; at most 65536 are allowed/,
  );
  let deep: unknown = 1;
  for (let i = 0; i < 10_000; i += 1) deep = [deep];
  rejects(() => ws.tasks.create(USER, any({ projectId, title: 'x', customFields: { deep } })), /customFields\.deep(\.0)+ nests deeper than 32 levels/);
  rejects(() => ws.tasks.create(USER, any({ title: 'x' })), /projectId is required/);
  rejects(() => ws.tasks.create(USER, any({ projectId, title: 'x', titel: 'y' })), /unknown field "titel" \(allowed: projectId, title,/);
  rejects(() => ws.tasks.create(USER, any(null)), /^tasks\.create: input must be an object, not null$/);
  assert.equal(ws.tasks.list().items.length, 1);
  assert.equal(events.length, 0);
});

test('bad patches, ids and actors are refused before anything changes', (t) => {
  const { ws, events, projectId, taskId } = setup(t);
  rejects(() => ws.tasks.update(USER, taskId, any({ projectId })), /^tasks\.update: unknown field "projectId" \(allowed: title, description, status, priority, customFields\)$/);
  rejects(() => ws.tasks.update(USER, taskId, { title: '' }), /tasks\.update: title must not be empty/);
  rejects(() => ws.tasks.update(USER, taskId, any({ status: 'nope' })), /tasks\.update: status must be one of/);
  rejects(() => ws.projects.update(USER, projectId, { name: '' }), /projects\.update: name must not be empty/);
  rejects(() => ws.projects.create(USER, any({})), /projects\.create: name is required/);
  rejects(() => ws.tasks.get(any(42)), /^tasks\.get: id must be a string id, not number$/);
  rejects(() => ws.tasks.delete(USER, ''), /tasks\.delete: id must not be empty/);
  rejects(() => ws.projects.get('x'.repeat(201)), /projects\.get: id must be at most 200 characters/);
  rejects(() => ws.tasks.create(any({ pluginId: '' }), { projectId, title: 'x' }), /tasks\.create: actor must be/);
  rejects(() => ws.comments.create(USER, { taskId, body: ' ' }), /comments\.create: body must not be empty/);
  rejects(() => ws.comments.create(USER, { taskId, body: 'x'.repeat(MAX_TEXT_BYTES + 1) }), /comments\.create: body must be at most/);
  assert.equal(ws.tasks.get(taskId)!.title, 'T');
  assert.equal(events.length, 0);
});

test('malformed list queries name the filter; a forged cursor is refused', (t) => {
  const { ws } = setup(t);
  rejects(() => ws.tasks.list({ limit: 0 }), /^tasks\.list: limit must be from 1 to 500$/);
  rejects(() => ws.tasks.list({ limit: MAX_PAGE_LIMIT + 1 }), /limit must be from 1 to 500/);
  rejects(() => ws.tasks.list({ limit: 2.5 }), /limit must be an integer from 1 to 500/);
  rejects(() => ws.tasks.list(any({ status: 'waiting' })), /tasks\.list: status must be one of todo, in_progress, done, cancelled/);
  rejects(() => ws.tasks.list(any({ status: [] })), /tasks\.list: status must list at least one status/);
  rejects(() => ws.tasks.list(any({ priority: 'urgent' })), /tasks\.list: priority must be one of/);
  rejects(() => ws.tasks.list(any({ project: 'x' })), /tasks\.list: unknown field "project"/);
  rejects(() => ws.tasks.list(any('all')), /tasks\.list: query must be an object/);
  rejects(() => ws.tasks.list({ cursor: 'not-a-cursor' }), /tasks\.list: cursor is not one returned by a previous page/);
  rejects(() => ws.comments.list(any({})), /comments\.list: taskId is required/);
  rejects(() => ws.activity.list(any({ pluginId: 7 })), /activity\.list: pluginId must be a string id/);
  rejects(() => ws.projects.list(any({ nameContains: 3 })), /projects\.list: nameContains must be a string/);
});
