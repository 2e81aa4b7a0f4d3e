/**
 * Runtime permission requests (API 1.1): what may be asked for, the prompt's lifecycle, Allow
 * and Deny remembered in the profile database across connections, revoke, and the capability
 * guard reading the grants on every call.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../main/host/db/database.ts';
import { createPermissionStore } from '../../main/host/permissions/permission-store.ts';
import { createPermissions, type PendingPermissionRequest } from '../../main/host/permissions/permissions.ts';
import { guardHostApi } from '../../main/host/rpc/capability-guard.ts';
import type { Capability } from '../../sdk/protocol/capabilities.ts';
import type { PlinthError } from '../../sdk/protocol/errors.ts';
import { HOST_API_CAPABILITIES, type HostApi, type HostMethod } from '../../sdk/protocol/rpc.ts';
import type { RpcHandlers } from '../../sdk/rpc/types.ts';
import { createTempDir, type AfterHook } from '../support/plugin-folders.ts';

const PLUGIN = 'acme-notify';
const FROM_START: Capability[] = ['plugin.state.read'];
const OPTIONAL = ['tasks.write', 'http.outbound:*'];

function setup(t: AfterHook, options: { file?: string; canAsk?: boolean; promptTimeoutMs?: number } = {}) {
  const file = options.file ?? join(createTempDir(t, 'plinth-permissions-'), 'p.db');
  const db = openDatabase(file);
  t.after(() => db.close());
  const store = createPermissionStore(db);
  const changes: string[] = [];
  const permissions = createPermissions({
    store,
    optionalOf: (id) => (id === PLUGIN ? OPTIONAL : []),
    heldFromStart: (id) => (id === PLUGIN ? FROM_START : []),
    onChange: (id) => changes.push(id),
    canAsk: () => options.canAsk ?? true,
    ...(options.promptTimeoutMs ? { promptTimeoutMs: options.promptTimeoutMs } : {}),
  });
  /** Resolves with the next waiting request, as the shell would read it on `permissions.changed`. */
  const nextPrompt = async (): Promise<PendingPermissionRequest> => {
    for (;;) {
      const [first] = permissions.pending();
      if (first) return first;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  return { file, store, permissions, changes, nextPrompt };
}

/** A guard over an implementation that answers `ok`, holding what the host would: from the start plus allowed. */
function guarded(permissions: ReturnType<typeof createPermissions>) {
  const impl = Object.fromEntries((Object.keys(HOST_API_CAPABILITIES) as HostMethod[]).map((m) => [m, () => 'ok'])) as unknown as RpcHandlers<HostApi>;
  return guardHostApi(PLUGIN, () => [...FROM_START, ...permissions.allowed(PLUGIN)], impl, undefined, (c) => permissions.explainDenial(PLUGIN, c));
}

const task = { projectId: 'p1', title: 'from the plugin' };

test('Allow grants the capability to the guard from the next call; Revoke takes it away at once', async (t) => {
  const { permissions, nextPrompt } = setup(t);
  const api = guarded(permissions);
  await assert.rejects(api['tasks.create'](task) as unknown as Promise<unknown>, (e: PlinthError) =>
    e.code === 'CAPABILITY_DENIED' && /it is optional: ask the user for it first with ctx\.permissions\.request\(\["tasks\.write"\]/.test(e.message));

  const asked = permissions.request(PLUGIN, ['tasks.write', 'plugin.state.read'], '  Create a task for each mail you flag  ');
  const prompt = await nextPrompt();
  assert.deepEqual(prompt.capabilities, ['tasks.write'], 'a capability held from the start is not asked for');
  assert.equal(prompt.reason, 'Create a task for each mail you flag');
  permissions.answer(prompt.requestId, true);
  assert.deepEqual(await asked, ['tasks.write', 'plugin.state.read']);
  assert.equal(await api['tasks.create'](task), 'ok');
  assert.deepEqual(await permissions.request(PLUGIN, ['tasks.write'], 'again'), ['tasks.write'], 'an allowed capability is not asked again');
  assert.equal(permissions.pending().length, 0);

  permissions.revoke(PLUGIN, 'tasks.write');
  await assert.rejects(api['tasks.create'](task) as unknown as Promise<unknown>, (e: PlinthError) => e.code === 'CAPABILITY_DENIED');
  assert.deepEqual(permissions.allowed(PLUGIN), []);
});

test('Deny is remembered: the plugin gets nothing, is not asked again, and the guard says the user denied it', async (t) => {
  const { permissions, nextPrompt } = setup(t);
  const asked = permissions.request(PLUGIN, ['tasks.write'], 'Create tasks');
  permissions.answer((await nextPrompt()).requestId, false);
  assert.deepEqual(await asked, []);
  assert.deepEqual(await permissions.request(PLUGIN, ['tasks.write'], 'Please'), [], 'answered at once from memory');
  assert.equal(permissions.pending().length, 0);
  await assert.rejects(guarded(permissions)['tasks.create'](task) as unknown as Promise<unknown>, (e: PlinthError) =>
    e.code === 'CAPABILITY_DENIED' && /the user denied it; they can reset that in Settings → Plugins/.test(e.message));
  // "Let it ask again" forgets the denial: the next request shows a prompt.
  permissions.revoke(PLUGIN, 'tasks.write');
  const again = permissions.request(PLUGIN, ['tasks.write'], 'Create tasks');
  permissions.answer((await nextPrompt()).requestId, true);
  assert.deepEqual(await again, ['tasks.write']);
});

test('answers survive a restart: a new connection to the same profile database reads them', async (t) => {
  const first = setup(t);
  const asked = first.permissions.request(PLUGIN, ['http.outbound:discord.com'], 'Post to your Discord');
  first.permissions.answer((await first.nextPrompt()).requestId, true);
  await asked;
  const denied = first.permissions.request(PLUGIN, ['tasks.write'], 'Create tasks');
  first.permissions.answer((await first.nextPrompt()).requestId, false);
  await denied;

  const second = setup(t, { file: first.file });
  assert.deepEqual(second.permissions.allowed(PLUGIN), ['http.outbound:discord.com']);
  assert.deepEqual(second.permissions.decisions(PLUGIN).map((d) => [d.capability, d.decision]), [
    ['http.outbound:discord.com', 'allowed'], ['tasks.write', 'denied'],
  ]);
  assert.deepEqual(await second.permissions.request(PLUGIN, ['http.outbound:discord.com', 'tasks.write'], 'again'), ['http.outbound:discord.com']);
  assert.equal(second.permissions.pending().length, 0, 'nothing asked again after the restart');
});

test('http.outbound:* lets the plugin ask for one concrete host at a time, each approved and revoked on its own', async (t) => {
  const { permissions, nextPrompt } = setup(t);
  const api = guarded(permissions);
  const fetchTo = (url: string) => api['http.fetch']({ url }) as unknown as Promise<unknown>;
  const discord = permissions.request(PLUGIN, ['http.outbound:discord.com'], 'Post to your Discord');
  permissions.answer((await nextPrompt()).requestId, true);
  assert.deepEqual(await discord, ['http.outbound:discord.com']);
  assert.equal(await fetchTo('https://discord.com/api/webhooks/1'), 'ok');
  await assert.rejects(fetchTo('https://gitlab.com/api/v4'), (e: PlinthError) =>
    e.code === 'CAPABILITY_DENIED' && e.message.includes('"http.outbound:gitlab.com"') && e.message.includes('ctx.permissions.request'));

  const gitlab = permissions.request(PLUGIN, ['http.outbound:gitlab.com'], 'Read your GitLab issues');
  assert.deepEqual((await nextPrompt()).capabilities, ['http.outbound:gitlab.com'], 'a new host is asked for on its own');
  permissions.answer(permissions.pending()[0]!.requestId, true);
  await gitlab;
  permissions.revoke(PLUGIN, 'http.outbound:discord.com');
  await assert.rejects(fetchTo('https://discord.com/api'), (e: PlinthError) => e.code === 'CAPABILITY_DENIED');
  assert.equal(await fetchTo('https://gitlab.com/api/v4'), 'ok', 'the other host stays allowed');

  for (const bad of ['http.outbound:*', 'http.outbound:*.discord.com']) {
    await assert.rejects(permissions.request(PLUGIN, [bad], 'everything'), (e: PlinthError) =>
      e.code === 'INVALID_INPUT' && /one host at a time, e\.g\. "http\.outbound:discord\.com"/.test(e.message), `${bad} is refused`);
  }
});

test('requests outside plinth.optionalCapabilities, a second waiting request, and no window are refused with what to do', async (t) => {
  const { permissions, nextPrompt } = setup(t);
  await assert.rejects(permissions.request(PLUGIN, ['projects.write'], 'x'), (e: PlinthError) =>
    e.code === 'CAPABILITY_DENIED' && /add it to plinth\.optionalCapabilities in package\.json/.test(e.message));
  await assert.rejects(permissions.request(PLUGIN, ['teleport'], 'x'), (e: PlinthError) => e.code === 'INVALID_INPUT' && /"teleport" is not a capability/.test(e.message));
  await assert.rejects(permissions.request('other-plugin', ['tasks.write'], 'x'), (e: PlinthError) => e.code === 'CAPABILITY_DENIED');

  const first = permissions.request(PLUGIN, ['tasks.write'], 'first');
  await nextPrompt();
  await assert.rejects(permissions.request(PLUGIN, ['http.outbound:a.example'], 'second'), (e: PlinthError) =>
    e.code === 'CONFLICT' && /already has a permission request waiting/.test(e.message));
  // The worker stopped: the request goes away, nothing is remembered.
  permissions.cancel(PLUGIN);
  assert.deepEqual(await first, []);
  assert.deepEqual(permissions.decisions(PLUGIN), []);
  assert.throws(() => permissions.answer('perm-1', true), (e: PlinthError) => e.code === 'NOT_FOUND');

  const headless = setup(t, { canAsk: false });
  await assert.rejects(headless.permissions.request(PLUGIN, ['tasks.write'], 'x'), (e: PlinthError) =>
    e.code === 'NOT_READY' && /no Plinth window is open/.test(e.message));
});

test('an unanswered request times out as not granted and is not remembered', async (t) => {
  const { permissions } = setup(t, { promptTimeoutMs: 20 });
  assert.deepEqual(await permissions.request(PLUGIN, ['tasks.write'], 'x'), []);
  assert.deepEqual(permissions.decisions(PLUGIN), []);
  assert.equal(permissions.pending().length, 0);
});

test('an answer no longer covered by the manifest grants nothing', async (t) => {
  const { store, permissions } = setup(t);
  store.set(PLUGIN, 'projects.write', 'allowed', new Date());
  assert.deepEqual(permissions.allowed(PLUGIN), [], 'projects.write is not in plinth.optionalCapabilities');
});
