import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packPlugin } from '../../sdk/cli/commands/pack.ts';
import { createPluginRoot, writePlugin, type PluginSpec } from '../support/plugin-folders.ts';
import { createTestProfile, startTestHost } from '../support/test-host.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';
import { UNSANDBOXED_CAPABILITY, UNSANDBOXED_WORDS } from '../../sdk/protocol/capabilities.ts';

/** Writes a plugin folder and packs it the way `plinth-plugin pack` does; returns the `.tgz` path. */
async function tgz(t: { after(fn: () => void): void }, spec: PluginSpec): Promise<string> {
  const root = createPluginRoot();
  t.after(root.cleanup);
  const dir = writePlugin(root.dir, spec);
  const { file } = await packPlugin(dir, { name: spec.name, version: spec.version ?? '1.0.0' }, root.dir);
  return file;
}

const COUNTER = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) {
    ctx.data.register('version', async () => ctx.version);
    ctx.data.register('count', async () => (await ctx.state.get({ scopeKind: 'instance', stateKey: 'n' })) ?? 0);
    ctx.actions.register('inc', async () => { const n = ((await ctx.state.get({ scopeKind: 'instance', stateKey: 'n' })) ?? 0) + 1; await ctx.state.set({ scopeKind: 'instance', stateKey: 'n' }, n); return n; });
  } });`;
const STATE_CAPS = ['plugin.state.read', 'plugin.state.write'];
/** A reload that never comes fails its test after this (ms) instead of hanging the run. */
const RELOAD_DEADLINE_MS = 20_000;

test('an installed .tgz waits for consent; enabling needs approval of its capabilities in plain words', async (t) => {
  const host = await startTestHost(t);
  const archive = await tgz(t, { name: 'acme-counter', capabilities: [...STATE_CAPS, 'http.outbound:api.example.com'], worker: COUNTER });
  const result = createPluginViews(host).installResult(await host.management.installFromFile(archive));
  assert.equal(result.outcome, 'installed');
  assert.equal(result.plugin.state, 'installed');
  assert.equal(result.plugin.needsConsent, true);
  assert.ok(result.plugin.capabilities.some((c) => c.description === 'Connect to api.example.com'));
  await assert.rejects(host.management.enable('acme-counter', { approveCapabilities: false }), { code: 'CONFLICT', message: /needs your consent.*Connect to api\.example\.com/ });
  // The settings toggle's IPC path (setEnabled) cannot skip consent either.
  await assert.rejects(host.management.setEnabled('acme-counter', true), { code: 'CONFLICT', message: /needs your consent/ });
  assert.equal(createPluginViews(host).summary('acme-counter').state, 'installed');
  await host.management.enable('acme-counter', { approveCapabilities: true });
  const enabled = createPluginViews(host).summary('acme-counter');
  assert.equal(enabled.state, 'ready');
  assert.equal(enabled.needsConsent, false);
  assert.equal(await host.ui.action('acme-counter', 'inc', null), 1);
});

test('an upgrade asking for more capabilities waits in upgrade_pending; decline keeps the old version, approve swaps in the new one keeping state', async (t) => {
  const host = await startTestHost(t);
  await host.management.installFromFile(await tgz(t, { name: 'acme-up', version: '1.0.0', capabilities: STATE_CAPS, worker: COUNTER }));
  await host.management.enable('acme-up', { approveCapabilities: true });
  await host.ui.action('acme-up', 'inc', null);

  const v2 = await tgz(t, { name: 'acme-up', version: '2.0.0', capabilities: [...STATE_CAPS, 'tasks.read'], worker: COUNTER });
  const pending = createPluginViews(host).installResult(await host.management.installFromFile(v2));
  assert.equal(pending.outcome, 'upgrade_pending');
  assert.equal(pending.plugin.state, 'upgrade_pending');
  assert.deepEqual(pending.plugin.pendingUpgrade?.addedCapabilities.map((c) => c.capability), ['tasks.read']);
  assert.equal(await host.ui.data('acme-up', 'version', null), '1.0.0', 'the old version keeps running');

  await host.management.declineUpgrade('acme-up');

  const declined = createPluginViews(host).summary('acme-up');
  assert.equal(declined.state, 'ready');
  assert.equal(declined.version, '1.0.0');

  await host.management.installFromFile(v2);
  await host.management.approveUpgrade('acme-up');
  const approved = createPluginViews(host).summary('acme-up');
  assert.equal(approved.state, 'ready');
  assert.equal(approved.version, '2.0.0');
  assert.equal(await host.ui.data('acme-up', 'version', null), '2.0.0');
  assert.equal(await host.ui.data('acme-up', 'count', null), 1, 'state is kept across the upgrade');
});

test('an upgrade that adds system.unsandboxed waits in upgrade_pending with the full-access words; the old version stays sandboxed until approved', async (t) => {
  const host = await startTestHost(t);
  const worker = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) { ctx.data.register('process', async () => typeof globalThis.process); } });`;
  await host.management.installFromFile(await tgz(t, { name: 'acme-tool', version: '1.0.0', worker }));
  await host.management.enable('acme-tool', { approveCapabilities: true });
  assert.equal(await host.ui.data('acme-tool', 'process', null), 'undefined', 'version 1 runs in the sandbox');

  const v2 = await tgz(t, { name: 'acme-tool', version: '2.0.0', capabilities: [UNSANDBOXED_CAPABILITY], worker });
  const pending = createPluginViews(host).installResult(await host.management.installFromFile(v2));
  assert.equal(pending.outcome, 'upgrade_pending');
  assert.equal(pending.plugin.state, 'upgrade_pending');
  assert.deepEqual(pending.plugin.pendingUpgrade?.addedCapabilities, [{ capability: UNSANDBOXED_CAPABILITY, description: UNSANDBOXED_WORDS }]);
  assert.equal(pending.plugin.unsandboxed, false, 'the running version has no full access');
  assert.equal(await host.ui.data('acme-tool', 'process', null), 'undefined', 'and still runs in the sandbox');

  await host.management.approveUpgrade('acme-tool');
  const approved = createPluginViews(host).summary('acme-tool');
  assert.equal(approved.version, '2.0.0');
  assert.equal(approved.unsandboxed, true, 'its card carries the full-access badge');
  assert.equal(await host.ui.data('acme-tool', 'process', null), 'object', 'version 2 runs as a full Node program');
});

test('refusals: downgrade unless confirmed, and the reserved plinth- prefix outside the bundled folder', async (t) => {
  const host = await startTestHost(t);
  await host.management.installFromFile(await tgz(t, { name: 'acme-down', version: '2.0.0', worker: COUNTER }));
  const older = await tgz(t, { name: 'acme-down', version: '1.0.0', worker: COUNTER });
  await assert.rejects(host.management.installFromFile(older), /2\.0\.0.*1\.0\.0|1\.0\.0.*2\.0\.0/);
  const downgraded = createPluginViews(host).installResult(await host.management.installFromFile(older, { allowDowngrade: true }));
  assert.equal(downgraded.plugin.version, '1.0.0');
  await assert.rejects(host.management.installFromFile(await tgz(t, { name: 'plinth-sneaky', worker: COUNTER })), /plinth-/);
});

test('uninstall stops the plugin and keeps its state for a grace period; restore brings it back disabled with its state; purge removes it', async (t) => {
  const host = await startTestHost(t);
  await host.management.installFromFile(await tgz(t, { name: 'acme-gone', capabilities: STATE_CAPS, worker: COUNTER }));
  await host.management.enable('acme-gone', { approveCapabilities: true });
  await host.ui.action('acme-gone', 'inc', null);
  await host.management.uninstall('acme-gone');
  assert.equal(createPluginViews(host).summaries().some((p) => p.id === 'acme-gone'), false);
  assert.deepEqual(createPluginViews(host).uninstalled().map((p) => p.id), ['acme-gone']);
  await assert.rejects(host.ui.data('acme-gone', 'count', null), { code: 'NOT_FOUND' });

  await host.management.restore('acme-gone');

  const restored = createPluginViews(host).summary('acme-gone');
  assert.equal(restored.state, 'disabled');
  await host.management.enable('acme-gone', { approveCapabilities: false });
  assert.equal(await host.ui.data('acme-gone', 'count', null), 1, 'state survived uninstall and restore');

  await host.management.uninstall('acme-gone');
  await host.management.purge('acme-gone');
  assert.deepEqual(createPluginViews(host).uninstalled(), []);
  await assert.rejects(host.management.restore('acme-gone'));
});

test('required config keeps an enabled plugin installed until valid; secrets are stored encrypted and never returned', async (t) => {
  const profile = createTestProfile(t);
  const host = await profile.start();
  const root = createPluginRoot();
  t.after(root.cleanup);
  const dir = writePlugin(root.dir, {
    name: 'acme-config', capabilities: ['secrets.read-ref'],
    plinth: { configSchema: { type: 'object', required: ['team', 'token'], properties: { team: { type: 'string', minLength: 2 }, token: { type: 'string', format: 'secret' } } } },
    worker: `import { definePlugin } from '@plinth/sdk';
      export default definePlugin({
        async setup(ctx) { ctx.data.register('token', async () => ctx.secrets.resolve((await ctx.config.get()).token)); },
        async onValidateConfig(config) { return { ok: true, warnings: config.team === 'xx' ? ['team xx is tiny'] : [], errors: [] }; },
      });`,
  });
  await host.management.loadUnpacked(dir);
  await host.management.enable('acme-config', { approveCapabilities: true });
  const enabled = createPluginViews(host).summary('acme-config');
  assert.equal(enabled.state, 'installed');
  assert.match(enabled.error ?? '', /Needs configuration: .*team is required/);
  assert.deepEqual(host.config.view('acme-config').errors.map((e) => e.path).sort(), ['team', 'token']);

  await assert.rejects(host.config.save('acme-config', { team: 'x', token: 's3cret-value' }), { code: 'INVALID_INPUT', message: /team/ });
  const saved = await host.config.save('acme-config', { team: 'xx', token: 's3cret-value' });
  assert.deepEqual(saved.secrets, [{ path: 'token', set: true }]);
  assert.equal(JSON.stringify(saved).includes('s3cret-value'), false, 'the secret never comes back');
  assert.equal(createPluginViews(host).summary('acme-config').state, 'ready');
  assert.equal(await host.ui.data('acme-config', 'token', null), 's3cret-value', 'the worker resolves it');
  assert.equal(readFileSync(join(profile.userDataDir, 'plinth.db')).includes(Buffer.from('s3cret-value')), false, 'not stored in plain text');

  const kept = await host.config.save('acme-config', { team: 'xx' });
  assert.deepEqual(kept.secrets, [{ path: 'token', set: true }], 'leaving the secret empty keeps it');
  assert.deepEqual(await host.config.test('acme-config', { team: 'xx' }), { ok: true, warnings: ['team xx is tiny'], errors: [] });
  assert.deepEqual((await host.config.test('acme-config', { team: '' })).ok, false);
});

test('saving config calls onConfigChanged when present, else restarts the worker', async (t) => {
  const host = await startTestHost(t);
  const root = createPluginRoot();
  t.after(root.cleanup);
  const schema = { configSchema: { type: 'object', properties: { n: { type: 'number' } } } };
  writePlugin(root.dir, { name: 'hooked', plinth: schema, worker: `import { definePlugin } from '@plinth/sdk';
    let seen = null;
    export default definePlugin({ async setup(ctx) { ctx.data.register('seen', async () => seen); }, async onConfigChanged(c) { seen = c.n; } });` });
  writePlugin(root.dir, { name: 'plain', plinth: schema, worker: `import { definePlugin } from '@plinth/sdk';
    export default definePlugin({ async setup(ctx) { ctx.data.register('n', async () => (await ctx.config.get()).n ?? null); } });` });
  for (const id of ['hooked', 'plain']) await host.management.loadUnpacked(join(root.dir, id));
  for (const id of ['hooked', 'plain']) await host.management.enable(id, { approveCapabilities: true });
  await host.ui.data('hooked', 'seen', null);
  const hookedPid = host.supervisor.runtime('hooked').pid;
  await host.ui.data('plain', 'n', null);
  const plainPid = host.supervisor.runtime('plain').pid;
  await host.config.save('hooked', { n: 7 });
  await host.config.save('plain', { n: 8 });
  assert.equal(await host.ui.data('hooked', 'seen', null), 7);
  assert.equal(host.supervisor.runtime('hooked').pid, hookedPid, 'same process: onConfigChanged handled it');
  assert.equal(await host.ui.data('plain', 'n', null), 8);
  assert.notEqual(host.supervisor.runtime('plain').pid, plainPid, 'restarted: no onConfigChanged');
});

// How fast (the README's "within a second") is measured by bench/reload-bench.ts against its
// physical floor: a fixed threshold here failed on a loaded 2-core machine.
test('hot reload: editing an unpacked plugin restarts its worker with the new code, keeping state', { timeout: RELOAD_DEADLINE_MS }, async (t) => {
  const host = await startTestHost(t, { watchUnpacked: true });
  const root = createPluginRoot();
  t.after(root.cleanup);
  const source = (greeting: string) => `import { definePlugin } from '@plinth/sdk';
    export default definePlugin({ async setup(ctx) {
      ctx.data.register('hello', async () => '${greeting} ' + ((await ctx.state.get({ scopeKind: 'instance', stateKey: 'n' })) ?? 0));
      ctx.actions.register('inc', async () => ctx.state.set({ scopeKind: 'instance', stateKey: 'n' }, 1));
    } });`;
  const dir = writePlugin(root.dir, { name: 'live', capabilities: STATE_CAPS, worker: source('hi') });
  await host.management.loadUnpacked(dir);
  await host.management.enable('live', { approveCapabilities: true });
  await host.ui.action('live', 'inc', null);
  assert.equal(await host.ui.data('live', 'hello', null), 'hi 1');
  const reloaded = new Promise<void>((resolve) => {
    const off = host.onPluginsChanged((e) => { if (e.pluginId === 'live' && e.reload) { off(); resolve(); } });
  });
  writeFileSync(join(dir, 'worker.js'), source('hello'));
  await reloaded;
  assert.equal(await host.ui.data('live', 'hello', null), 'hello 1');

  // A capability added to an unpacked manifest waits for approval.
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  manifest.plinth.capabilities.push('tasks.read');
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  await new Promise<void>((resolve) => {
    const off = host.onPluginsChanged(() => { if (createPluginViews(host).summary('live').state === 'upgrade_pending') { off(); resolve(); } });
  });
  assert.deepEqual(createPluginViews(host).summary('live').pendingUpgrade?.addedCapabilities.map((c) => c.capability), ['tasks.read']);
  assert.equal(existsSync(dir), true);
});

test('UI contributions need approved capabilities: a slot added with a new capability stays hidden until approved', async (t) => {
  const host = await startTestHost(t);
  const root = createPluginRoot();
  t.after(root.cleanup);
  const widget = { type: 'dashboardWidget', id: 'w', displayName: 'W', exportName: 'W' };
  const page = { type: 'page', id: 'p', displayName: 'P', exportName: 'P' };
  const dir = writePlugin(root.dir, {
    name: 'grower', capabilities: ['ui.dashboardWidget.register'],
    ui: { source: 'export function W() { return null; } export function P() { return null; }', slots: [widget] },
  });
  await host.management.loadUnpacked(dir);
  await host.management.enable('grower', { approveCapabilities: true });
  assert.equal(createPluginViews(host).slots('dashboardWidget').filter((s) => s.pluginId === 'grower').length, 1);

  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  manifest.plinth.capabilities.push('ui.page.register');
  manifest.plinth.ui.slots.push(page);
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  await host.management.reload('grower');
  const pending = createPluginViews(host).summary('grower');
  assert.equal(pending.state, 'upgrade_pending');
  assert.deepEqual(createPluginViews(host).slots('page').filter((s) => s.pluginId === 'grower'), [], 'no page before consent');
  assert.equal(createPluginViews(host).slots('dashboardWidget').filter((s) => s.pluginId === 'grower').length, 1, 'approved UI keeps working');

  await host.management.approveUpgrade('grower');
  assert.equal(createPluginViews(host).slots('page').filter((s) => s.pluginId === 'grower').length, 1);
});
