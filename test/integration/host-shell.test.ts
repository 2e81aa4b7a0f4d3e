/**
 * What the workspace shell asks of the real host: every UI contribution of the enabled plugins
 * (all slot types and launchers, with the icon URL, in `order` then name, nothing before consent
 * or while disabled), one project or task by id, filtered task lists, and the dashboard layout
 * kept across a restart of the host on the same profile.
 */
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createIpcHandlers } from '../../main/shell/ipc-handlers.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';
import type { PreferencesView } from '../../preload/api.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import { writePlugin, type PluginSpec } from '../support/plugin-folders.ts';
import { MAIN, ORIGIN } from '../support/ipc.ts';
import { createTestProfile, startTestHost } from '../support/test-host.ts';

const UI_SOURCE = 'export function A() { return null; }\n';

const SHOWCASE: PluginSpec = {
  name: 'showcase',
  displayName: 'Showcase',
  capabilities: ['ui.page.register', 'ui.detailTab.register', 'ui.action.register', 'ui.commentAnnotation.register'],
  // The UI module is written by `ui.source`; the slots and launchers come from `plinth.ui` below.
  ui: { source: UI_SOURCE, slots: [] },
  plinth: {
    icon: 'ui/index.js',
    ui: {
      entry: 'ui/index.js',
      slots: [
        { type: 'detailTab', id: 'second', displayName: 'B tab', exportName: 'A', entityTypes: ['task'], order: 2 },
        { type: 'detailTab', id: 'first', displayName: 'Z tab', exportName: 'A', entityTypes: ['task'], order: 1 },
        { type: 'detailTab', id: 'tie', displayName: 'A tab', exportName: 'A', entityTypes: ['project'], order: 2 },
        { type: 'page', id: 'home', displayName: 'Home', exportName: 'A' },
        { type: 'commentAnnotation', id: 'note', displayName: 'Note', exportName: 'A', entityTypes: ['comment'] },
      ],
      launchers: [
        { id: 'open', displayName: 'Open', placementZone: 'toolbarButton', entityTypes: ['task'], action: { type: 'openDrawer', target: 'A' }, render: { bounds: 'wide' } },
      ],
    },
  },
};

test('every slot type and launcher of an enabled plugin is listed with its icon, in order then name', async (t) => {
  const host = await startTestHost(t, { plugins: [SHOWCASE] });
  const { slots, launchers } = createPluginViews(host).contributions();
  const mine = slots.filter((s) => s.pluginId === 'showcase');
  assert.deepEqual(mine.map((s) => s.slot.id), ['home', 'note', 'first', 'tie', 'second'], 'order (absent = 0), then display name');
  assert.equal(mine[0]?.pluginIcon, '/plugins/showcase/ui/index.js');
  assert.equal(mine[0]?.moduleUrl, '/plugins/showcase/ui/index.js');
  assert.deepEqual(launchers.map((l) => [l.pluginId, l.launcher.id, l.launcher.action.type]), [['showcase', 'open', 'openDrawer']]);

  await host.management.setEnabled('showcase', false);
  assert.deepEqual(createPluginViews(host).contributions(), { slots: [], launchers: [] }, 'a disabled plugin contributes nothing');
});

test('a plugin whose consent is missing contributes no UI', async (t) => {
  const host = await startTestHost(t, { plugins: [SHOWCASE], enablePlugins: false });
  assert.deepEqual(createPluginViews(host).contributions(), { slots: [], launchers: [] });
  assert.equal(await host.resolvePluginAsset('showcase', 'ui/index.js'), null, 'nor its files, not even a non-image file named as its icon');
});

test('a plugin\'s image icon is served (and named in its summary) before it is enabled; its other files only once it is ready', async (t) => {
  const profile = createTestProfile(t);
  const dir = writePlugin(profile.pluginsDir, {
    name: 'iconic', capabilities: ['ui.page.register'],
    ui: { source: UI_SOURCE, slots: [{ type: 'page', id: 'home', displayName: 'Home', exportName: 'A' }] }, plinth: { icon: './assets/icon.svg' },
  });
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  // An "icon" that links to the plugin's code is served as what it really is: not an image.
  const sneaky = writePlugin(profile.pluginsDir, {
    name: 'sneaky', capabilities: ['ui.page.register'],
    ui: { source: UI_SOURCE, slots: [{ type: 'page', id: 'home', displayName: 'Home', exportName: 'A' }] }, plinth: { icon: 'assets/icon.svg' },
  });
  mkdirSync(join(sneaky, 'assets'));
  symlinkSync('../ui/index.js', join(sneaky, 'assets', 'icon.svg'));
  const host = await profile.start({ plugins: [] });
  const icon = join(realpathSync(dir), 'assets', 'icon.svg');
  assert.equal(await host.resolvePluginAsset('sneaky', 'assets/icon.svg'), null, 'an icon linked to code is not served before consent');

  assert.equal(createPluginViews(host).summary('iconic').pluginIcon, '/plugins/iconic/assets/icon.svg');
  assert.equal(await host.resolvePluginAsset('iconic', 'assets/icon.svg'), icon, 'the settings card shows it while the plugin is off');
  assert.equal(await host.resolvePluginAsset('iconic', 'ui/index.js'), null);

  await host.management.enable('iconic', { approveCapabilities: true });
  assert.equal(await host.resolvePluginAsset('iconic', 'ui/index.js'), join(realpathSync(dir), 'ui', 'index.js'));
  assert.equal(await host.resolvePluginAsset('iconic', 'assets/icon.svg'), icon);
});

test('projects and tasks by id, and task lists filtered by project, status, priority and words', async (t) => {
  const host = await startTestHost(t);
  const launch = host.ops.createProject({ name: 'Launch' });
  const other = host.ops.createProject({ name: 'Other' });
  const docs = host.ops.createTask({ projectId: launch.id, title: 'Write docs', priority: 'high' });
  host.ops.createTask({ projectId: launch.id, title: 'Fix bugs' });
  host.ops.createTask({ projectId: other.id, title: 'More docs' });
  host.ops.updateTask(docs.id, { status: 'done' });

  assert.equal(host.shellOps.getProject(launch.id).name, 'Launch');
  assert.equal(host.shellOps.getTask(docs.id).status, 'done');
  assert.throws(() => host.shellOps.getTask('missing'), (e: unknown) => e instanceof PlinthError && e.code === 'NOT_FOUND' && /deleted/.test(e.message));
  assert.throws(() => host.shellOps.getProject('missing'), (e: unknown) => e instanceof PlinthError && e.code === 'NOT_FOUND');

  assert.deepEqual(host.shellOps.listTasks({ projectId: launch.id }).map((x) => x.title), ['Write docs', 'Fix bugs']);
  assert.deepEqual(host.shellOps.listTasks({ titleContains: 'docs' }).map((x) => x.title), ['Write docs', 'More docs']);
  assert.deepEqual(host.shellOps.listTasks({ projectId: launch.id, status: 'done', priority: 'high' }).map((x) => x.title), ['Write docs']);
  assert.deepEqual(host.shellOps.listTasks({ projectId: launch.id, status: 'todo', priority: 'high' }), []);
});

test('the dashboard layout is kept across a restart; more than 200 widgets is refused', async (t) => {
  const profile = createTestProfile(t);
  const first = await profile.start();
  assert.equal(first.shellOps.getDashboardLayout(), null, 'not arranged yet');
  first.shellOps.setDashboardLayout({ entries: ['b/w', 'a/w'], hidden: ['c/w'] });
  assert.throws(() => first.shellOps.setDashboardLayout({ entries: Array.from({ length: 201 }, (_, i) => `p${i}/w`), hidden: [] }),
    (e: unknown) => e instanceof PlinthError && e.code === 'INVALID_INPUT' && /200/.test(e.message));
  await first.stop();
  const second = await profile.start();
  assert.deepEqual(second.shellOps.getDashboardLayout(), { entries: ['b/w', 'a/w'], hidden: ['c/w'] });
});

test('every saved preferences change reaches the shell, whichever call or host module made it; a refused or empty one does not', async (t) => {
  const host = await startTestHost(t);
  const told: PreferencesView[] = [];
  const { dispatch } = createIpcHandlers({
    host, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' },
    onPreferencesChanged: (preferences) => told.push(preferences),
  });
  await dispatch('preferences.set', { patch: { theme: 'dark' } }, MAIN, ORIGIN);
  await dispatch('preferences.set', { patch: { theme: 'sepia' } }, MAIN, ORIGIN);
  await dispatch('registry.setPreferences', { url: 'https://npm.acme.test/' }, MAIN, ORIGIN);
  await dispatch('registry.setPreferences', { url: 'https://npm.acme.test/' }, MAIN, ORIGIN);
  host.preferences.set({ developerMode: true });
  assert.deepEqual(told.map((p) => [p.theme, p.registryUrl, p.developerMode]), [
    ['dark', 'https://registry.npmjs.org/', false],
    ['dark', 'https://npm.acme.test/', false],
    ['dark', 'https://npm.acme.test/', true],
  ]);
});
