/**
 * Runtime permission requests through a real host and worker (API 1.1): the request waits for
 * a window's answer, the grant reaches the worker's capability guard, the answer survives a
 * restart of the app on the same profile, and a revoke counts from the worker's next call.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Host } from '../../main/host/host.ts';
import { createTestProfile } from '../support/test-host.ts';

const ID = 'acme-filer';
const WORKER = `import { definePlugin } from '@plinth/sdk';
const settle = async (call) => { try { return { ok: true, value: await call() } } catch (e) { return { ok: false, code: e.code, message: e.message } } };
export default definePlugin({ async setup(ctx) {
  ctx.actions.register('ask', () => settle(() => ctx.permissions.request(['projects.write'], 'File each flagged mail as a project')));
  ctx.actions.register('create', () => settle(async () => (await ctx.projects.create({ name: 'Filed' })).name));
} });`;
const PLUGIN = { name: ID, worker: WORKER, capabilities: ['plugin.state.read'], plinth: { optionalCapabilities: ['projects.write'] } };

interface Settled { ok: boolean; value?: unknown; code?: string; message?: string }
const action = (host: Host, key: string) => host.ui.action(ID, key, null) as Promise<unknown> as Promise<Settled>;

/** A window that answers every request with `allow`, as the user would, once it appears. */
function answering(host: Host, allow: boolean, seen: string[]): () => void {
  return host.onPermissionRequests(() => {
    for (const request of host.permissions.pending()) {
      seen.push(`${request.pluginId}: ${request.capabilities.join(', ')} (${request.reason})`);
      host.permissions.answer(request.requestId, allow);
    }
  });
}

test('an Allow reaches the worker at once and survives a restart; a revoke counts from the next call', async (t) => {
  const profile = createTestProfile(t);
  const first = await profile.start({ plugins: [PLUGIN] });
  const headless = await action(first, 'ask');
  assert.equal(headless.code, 'NOT_READY', 'no window: nobody to ask');
  assert.match(headless.message ?? '', /no Plinth window is open to ask the user/);

  const seen: string[] = [];
  const stopAnswering = answering(first, true, seen);
  assert.deepEqual(await action(first, 'ask'), { ok: true, value: ['projects.write'] });
  assert.deepEqual(seen, [`${ID}: projects.write (File each flagged mail as a project)`]);
  assert.deepEqual(await action(first, 'create'), { ok: true, value: 'Filed' }, 'the running worker holds it from its next call');
  stopAnswering();
  await first.stop();

  // The app starts again on the same profile: the answer is remembered, nobody is asked.
  const second = await profile.start({ plugins: [PLUGIN], enablePlugins: false });
  assert.deepEqual(await action(second, 'create'), { ok: true, value: 'Filed' });
  assert.deepEqual(await action(second, 'ask'), { ok: true, value: ['projects.write'] }, 'answered from memory with no window');

  second.permissions.revoke(ID, 'projects.write');
  const revoked = await action(second, 'create');
  assert.equal(revoked.code, 'CAPABILITY_DENIED');
  assert.match(revoked.message ?? '', /"projects\.write".*ask the user for it first with ctx\.permissions\.request/);
});

test('a Deny is remembered across a restart and the call stays refused, saying the user denied it', async (t) => {
  const profile = createTestProfile(t);
  const first = await profile.start({ plugins: [PLUGIN] });
  const seen: string[] = [];
  const stopAnswering = answering(first, false, seen);
  assert.deepEqual(await action(first, 'ask'), { ok: true, value: [] });
  stopAnswering();
  await first.stop();

  const second = await profile.start({ plugins: [PLUGIN], enablePlugins: false });
  const again: string[] = [];
  answering(second, true, again);
  assert.deepEqual(await action(second, 'ask'), { ok: true, value: [] }, 'not asked again');
  assert.deepEqual(again, []);
  const denied = await action(second, 'create');
  assert.equal(denied.code, 'CAPABILITY_DENIED');
  assert.match(denied.message ?? '', /the user denied it/);
});

test('a request still waiting when its plugin is switched off goes away, and nothing is remembered', async (t) => {
  const profile = createTestProfile(t);
  const host = await profile.start({ plugins: [PLUGIN] });
  const waiting = new Promise<void>((resolve) => {
    host.onPermissionRequests(() => { if (host.permissions.pending().length > 0) resolve(); });
  });
  const asked = action(host, 'ask').catch((error: Error) => error);
  await waiting;
  await host.management.setEnabled(ID, false);
  assert.deepEqual(host.permissions.pending(), []);
  await asked; // settled one way or the other: the worker is gone
  assert.deepEqual(host.permissions.decisions(ID), []);
});
