// The bundled example plugins in the REAL host: real worker processes, a real SQLite file,
// the real webhook server over HTTP, and an MCP client calling a plugin tool.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SLOT_TYPES } from '../../sdk/protocol/capabilities.ts';
import { LAUNCHER_ACTIONS, RENDER_ENVIRONMENTS } from '../../sdk/protocol/manifest.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHost, type Host } from '../../main/host/host.ts';
import { createMcpServer } from '../../main/host/services/tools/mcp-server.ts';
import { createNodeLauncher } from '../../main/host/workers/node-launcher.ts';
import '../support/worker-runtime.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const BUNDLED = join(import.meta.dirname, '../../plugins');
const EXAMPLES = ['plinth-heartbeat', 'plinth-webhook-inbox', 'plinth-task-tools', 'plinth-kanban-overview', 'plinth-link-out', 'plinth-word-count', 'plinth-ui-tour'];
/** The beat schedule is every five minutes (ms). */
const BEAT_PERIOD_MS = 5 * 60_000;

let host: Host;
let profileDir: string;

before(async () => {
  profileDir = mkdtempSync(join(tmpdir(), 'plinth-examples-'));
  host = createHost({
    userDataDir: profileDir, bundledPluginsDir: BUNDLED, launcher: createNodeLauncher(), appVersion: 'test',
    watchUnpacked: false, webhookPort: 0,
  });
  await host.start();
});

after(async () => {
  await host.stop();
  rmSync(profileDir, { recursive: true, force: true });
});

test('the examples are bundled, valid and enabled on first run', () => {
  for (const id of EXAMPLES) {
    const summary = createPluginViews(host).summary(id);
    assert.equal(summary.source, 'bundled', id);
    assert.equal(summary.state, 'ready', `${id}: ${summary.error ?? ''}`);
    assert.deepEqual(summary.warnings, [], id);
  }
  assert.ok(createPluginViews(host).slots('dashboardWidget').some((s) => s.pluginId === 'plinth-heartbeat' && s.slot.exportName === 'HeartbeatWidget'));
});

test('together the bundled examples cover every slot type and every launcher action type', () => {
  const { slots, launchers } = createPluginViews(host).contributions();
  const slotTypes = new Set(slots.map((s) => s.slot.type));
  assert.deepEqual(SLOT_TYPES.filter((type) => !slotTypes.has(type)), [], 'slot types no example mounts');
  const actions = new Set(launchers.map((l) => l.launcher.action.type));
  assert.deepEqual(LAUNCHER_ACTIONS.filter((a) => !actions.has(a)), [], 'launcher actions no example uses');
  const environments = new Set(launchers.map((l) => l.launcher.render?.environment ?? 'hostOverlay'));
  assert.deepEqual(RENDER_ENVIRONMENTS.filter((e) => !environments.has(e)), [], 'render environments no example uses');
});

test('heartbeat: Run now starts the worker, and the beat is served by data "last"', async () => {
  const next = host.services.jobs.nextRun('plinth-heartbeat', 'beat');
  assert.ok(next && next.getTime() - Date.now() <= BEAT_PERIOD_MS, 'scheduled within five minutes');
  // Before any manual run only the real */5 schedule could have beaten (rarely, right at a five-minute mark).
  const before = await host.ui.data('plinth-heartbeat', 'last', null) as { trigger: string } | null;
  assert.ok(before === null || before.trigger === 'schedule', 'no manual beat in a fresh profile');
  const run = await host.services.jobs.runNow('plinth-heartbeat', 'beat');
  assert.equal(run.status, 'succeeded', run.error ?? '');
  const last = await host.ui.data('plinth-heartbeat', 'last', null) as { runId: string; trigger: string; at: string };
  assert.equal(last.runId, run.runId);
  assert.equal(last.trigger, 'manual');
  assert.ok(host.supervisor.runtime('plinth-heartbeat').pid);
});

test('webhook inbox: a real HTTP POST creates a task in an Inbox project', async () => {
  await host.services.webhooks.start(); // waits until the server listens (it starts in the background)
  const url = host.services.webhooks.urlFor('plinth-webhook-inbox', 'inbox');
  assert.ok(url, 'the endpoint has a URL once the server listens');
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'From outside' }) });
  assert.equal(response.status, 201);
  const { id, projectId } = await response.json() as { id: string; projectId: string };
  assert.equal(host.services.workspace.tasks.get(id)?.title, 'From outside');
  assert.equal(host.services.workspace.projects.get(projectId)?.name, 'Inbox');
  assert.ok(host.services.workspace.activity.list({ pluginId: 'plinth-webhook-inbox' }).items.some((e) => e.entityId === id));

  const bad = await fetch(url, { method: 'POST', body: '{"description": "no title"}' });
  assert.equal(bad.status, 400);
  assert.match((await bad.json() as { error: string }).error, /title/);
  assert.equal((await fetch(url.replace(/[^/]+$/, 'wrong-secret'), { method: 'POST', body: '{}' })).status, 401);
});

test('task tools: the host registry and an MCP client list and call them', async (t) => {
  const project = host.services.workspace.projects.create({ user: true }, { name: 'Tools' });
  for (const status of ['todo', 'todo', 'in_progress', 'done'] as const) {
    host.services.workspace.tasks.create({ user: true }, { projectId: project.id, title: status, status });
  }
  const counted = await host.services.tools.call('plinth-task-tools__count-tasks', { projectId: project.id });
  assert.equal(counted.content, '2 todo, 1 in progress, 1 done, 0 cancelled');
  await assert.rejects(host.services.tools.call('plinth-task-tools__count-tasks', { projectId: 1 }), { code: 'INVALID_INPUT' });

  const token = randomBytes(24).toString('base64url');
  const server = createMcpServer({ registry: host.services.tools, token });
  t.after(() => server.stop());
  const { url } = await server.start();
  const client = new Client({ name: 'plinth-example-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  t.after(() => client.close());

  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name);
  assert.ok(names.includes('plinth-task-tools__count-tasks') && names.includes('plinth-task-tools__create-task'), names.join(', '));
  const created = await client.callTool({ name: 'plinth-task-tools__create-task', arguments: { projectId: project.id, title: 'Made by an agent', priority: 'high' } });
  assert.equal(created.isError, false);
  assert.match((created.content as Array<{ text: string }>)[0]?.text ?? '', /^Created task "Made by an agent" \(.+\) with priority high$/);
  const recount = await client.callTool({ name: 'plinth-task-tools__count-tasks', arguments: { projectId: project.id } });
  assert.equal((recount.content as Array<{ text: string }>)[0]?.text, '3 todo, 1 in progress, 1 done, 0 cancelled');
  assert.deepEqual(recount.structuredContent, { todo: 3, in_progress: 1, done: 1, cancelled: 0, total: 5, projectId: project.id });
});
