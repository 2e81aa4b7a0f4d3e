/**
 * Every manifest rule of CONTRACT §2 refuses a plugin with a problem naming the field and the
 * offending value, in the line format authors see (`field: <value> reason`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProblem, validatePluginFolder, type Problem } from '../../main/host/manifest/index.ts';
import { fullManifest, makePluginFolder } from '../fixtures/manifests/plugin-folder.ts';

type M = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rows poke into raw JSON

interface Row {
  name: string;
  mutate: (m: M) => void;
  field: string;
  /** The offending value the line must show; omit for problems without one ("is required"). */
  value?: unknown;
  message: RegExp;
  source?: 'bundled' | 'user' | 'unpacked';
  hostApiVersion?: string;
}

const without = (list: string[], item: string) => list.filter((x) => x !== item);

const rows: Row[] = [
  { name: 'name is required', mutate: (m) => { delete m.name; }, field: 'name', message: /^is required/ },
  { name: 'name must be a string', mutate: (m) => { m.name = 42; }, field: 'name', value: 42, message: /must be a string/ },
  { name: 'name is a valid npm name', mutate: (m) => { m.name = 'Kanban-Overview'; }, field: 'name', value: 'Kanban-Overview', message: /not a valid npm package name: .*capital/ },
  { name: 'name is URL-friendly', mutate: (m) => { m.name = 'kanban overview'; }, field: 'name', value: 'kanban overview', message: /not a valid npm package name/ },
  { name: 'unscoped name is kebab-case', mutate: (m) => { m.name = 'kanban_overview'; }, field: 'name', value: 'kanban_overview', message: /is not kebab-case/ },
  { name: 'scoped name is kebab-case after the scope', mutate: (m) => { m.name = '@acme/kanban--overview'; }, field: 'name', value: '@acme/kanban--overview', message: /is not kebab-case/ },
  { name: 'plinth- prefix is reserved for bundled plugins', mutate: (m) => { m.name = 'plinth-kanban'; }, field: 'name', value: 'plinth-kanban', message: /reserved for plugins bundled/, source: 'user' },
  { name: '@plinth scope is reserved', mutate: (m) => { m.name = '@plinth/kanban'; }, field: 'name', value: '@plinth/kanban', message: /reserved for plugins bundled/ },
  { name: 'version is required', mutate: (m) => { delete m.version; }, field: 'version', message: /^is required: a semver version/ },
  { name: 'version is semver', mutate: (m) => { m.version = '1.0'; }, field: 'version', value: '1.0', message: /is not a semver version/ },
  { name: 'engines is required', mutate: (m) => { delete m.engines; }, field: 'engines', message: /^is required: add "engines"/ },
  { name: 'engines.plinth is required', mutate: (m) => { m.engines = { node: '>=22' }; }, field: 'engines.plinth', message: /^is required/ },
  { name: 'engines.plinth is a semver range', mutate: (m) => { m.engines.plinth = 'banana'; }, field: 'engines.plinth', value: 'banana', message: /is not a semver range/ },
  { name: 'other engines are range strings', mutate: (m) => { m.engines.node = 22; }, field: 'engines.node', value: 22, message: /must be a string/ },
  {
    name: 'engines.plinth must be satisfied by the host, naming both versions', mutate: (m) => { m.engines.plinth = '^2.0.0'; },
    field: 'engines.plinth', value: '^2.0.0', message: /not satisfied by this host's plugin API version 1\.1\.0 \(the plugin asks for \^2\.0\.0\)/,
  },
  {
    name: 'engines.plinth is checked against the given host API version', mutate: () => {}, hostApiVersion: '2.3.0',
    field: 'engines.plinth', value: '^1.0.0', message: /plugin API version 2\.3\.0 \(the plugin asks for \^1\.0\.0\)/,
  },
  { name: 'plinth block is required', mutate: (m) => { delete m.plinth; }, field: 'plinth', message: /^is required: add a "plinth" block/ },
  { name: 'displayName is required', mutate: (m) => { delete m.plinth.displayName; }, field: 'plinth.displayName', message: /^is required/ },
  { name: 'displayName is not empty', mutate: (m) => { m.plinth.displayName = '  '; }, field: 'plinth.displayName', value: '  ', message: /must not be empty/ },
  { name: 'ui.entry is required with a ui block', mutate: (m) => { delete m.plinth.ui.entry; }, field: 'plinth.ui.entry', message: /^is required/ },
  { name: 'slot type is known', mutate: (m) => { m.plinth.ui.slots[0].type = 'floatingWidget'; }, field: 'plinth.ui.slots[0].type', value: 'floatingWidget', message: /must be one of "page", "dashboardWidget"/ },
  {
    name: 'a slot needs its ui capability', mutate: (m) => { m.plinth.capabilities = without(m.plinth.capabilities, 'ui.dashboardWidget.register'); },
    field: 'plinth.ui.slots[0].type', value: 'dashboardWidget', message: /needs the capability "ui\.dashboardWidget\.register" in plinth\.capabilities/,
  },
  {
    name: 'slot ids are unique', mutate: (m) => { m.plinth.ui.slots.push({ ...m.plinth.ui.slots[0] }); },
    field: 'plinth.ui.slots[1].id', value: 'overview', message: /already used by plinth\.ui\.slots\[0\]/,
  },
  { name: 'slot exportName is an export name', mutate: (m) => { m.plinth.ui.slots[0].exportName = 'my-widget'; }, field: 'plinth.ui.slots[0].exportName', value: 'my-widget', message: /name of an export/ },
  { name: 'slot entity types are known', mutate: (m) => { m.plinth.ui.slots[0].entityTypes = ['user']; }, field: 'plinth.ui.slots[0].entityTypes[0]', value: 'user', message: /must be one of "project", "task", "comment"/ },
  { name: 'slot order is a number', mutate: (m) => { m.plinth.ui.slots[0].order = '10'; }, field: 'plinth.ui.slots[0].order', value: '10', message: /must be a number/ },
  { name: 'launcher placementZone is a slot type', mutate: (m) => { m.plinth.ui.launchers[0].placementZone = 'floating'; }, field: 'plinth.ui.launchers[0].placementZone', value: 'floating', message: /must be one of "page"/ },
  {
    name: 'a launcher needs the capability of its placementZone', mutate: (m) => { m.plinth.capabilities = without(m.plinth.capabilities, 'ui.action.register'); },
    field: 'plinth.ui.launchers[0].placementZone', value: 'toolbarButton', message: /needs the capability "ui\.action\.register"/,
  },
  { name: 'launcher action.type is known', mutate: (m) => { m.plinth.ui.launchers[0].action.type = 'openWindow'; }, field: 'plinth.ui.launchers[0].action.type', value: 'openWindow', message: /must be one of "navigate", "openModal"/ },
  { name: 'launcher action is required', mutate: (m) => { delete m.plinth.ui.launchers[0].action; }, field: 'plinth.ui.launchers[0].action', message: /^is required/ },
  { name: 'launcher render.environment is known', mutate: (m) => { m.plinth.ui.launchers[0].render.environment = 'popup'; }, field: 'plinth.ui.launchers[0].render.environment', value: 'popup', message: /must be one of "hostInline"/ },
  { name: 'launcher render.bounds is known', mutate: (m) => { m.plinth.ui.launchers[0].render.bounds = 'huge'; }, field: 'plinth.ui.launchers[0].render.bounds', value: 'huge', message: /must be one of "inline"/ },
  {
    name: 'launcher ids are unique', mutate: (m) => { m.plinth.ui.launchers.push({ ...m.plinth.ui.launchers[0] }); },
    field: 'plinth.ui.launchers[1].id', value: 'sync', message: /already used by plinth\.ui\.launchers\[0\]/,
  },
  {
    name: 'jobs need jobs.schedule', mutate: (m) => { m.plinth.capabilities = without(m.plinth.capabilities, 'jobs.schedule'); },
    field: 'plinth.jobs', message: /declares 1 job and needs the capability "jobs\.schedule"/,
  },
  { name: 'a schedule is cron', mutate: (m) => { m.plinth.jobs[0].schedule = 'every 5 minutes'; }, field: 'plinth.jobs[0].schedule', value: 'every 5 minutes', message: /is not a 5-field cron expression/ },
  { name: 'a schedule has 5 fields, not 6', mutate: (m) => { m.plinth.jobs[0].schedule = '0 */15 * * * *'; }, field: 'plinth.jobs[0].schedule', value: '0 */15 * * * *', message: /5-field/ },
  { name: 'a schedule is not a nickname', mutate: (m) => { m.plinth.jobs[0].schedule = '@hourly'; }, field: 'plinth.jobs[0].schedule', value: '@hourly', message: /5-field/ },
  { name: 'a schedule has values in range', mutate: (m) => { m.plinth.jobs[0].schedule = '61 * * * *'; }, field: 'plinth.jobs[0].schedule', value: '61 * * * *', message: /not a valid cron expression: .*minute/ },
  { name: 'a schedule can run', mutate: (m) => { m.plinth.jobs[0].schedule = '0 0 31 2 *'; }, field: 'plinth.jobs[0].schedule', value: '0 0 31 2 *', message: /never runs/ },
  {
    name: 'jobKeys are unique', mutate: (m) => { m.plinth.jobs.push({ ...m.plinth.jobs[0] }); },
    field: 'plinth.jobs[1].jobKey', value: 'sync', message: /already used by plinth\.jobs\[0\]; each jobKey must be unique/,
  },
  {
    name: 'webhooks need webhooks.receive', mutate: (m) => { m.plinth.capabilities = without(m.plinth.capabilities, 'webhooks.receive'); },
    field: 'plinth.webhooks', message: /declares 1 webhook and needs the capability "webhooks\.receive"/,
  },
  { name: 'endpointKey is URL-safe', mutate: (m) => { m.plinth.webhooks[0].endpointKey = 'in box'; }, field: 'plinth.webhooks[0].endpointKey', value: 'in box', message: /only letters, digits/ },
  {
    name: 'endpointKeys are unique', mutate: (m) => { m.plinth.webhooks.push({ ...m.plinth.webhooks[0] }); },
    field: 'plinth.webhooks[1].endpointKey', value: 'inbox', message: /already used/,
  },
  {
    name: 'tools need agent.tools.register', mutate: (m) => { m.plinth.capabilities = without(m.plinth.capabilities, 'agent.tools.register'); },
    field: 'plinth.tools', message: /declares 1 tool and needs the capability "agent\.tools\.register"/,
  },
  { name: 'tool names are MCP-safe', mutate: (m) => { m.plinth.tools[0].name = 'count tasks'; }, field: 'plinth.tools[0].name', value: 'count tasks', message: /only letters, digits/ },
  { name: 'tool names are unique', mutate: (m) => { m.plinth.tools.push({ ...m.plinth.tools[0] }); }, field: 'plinth.tools[1].name', value: 'count-tasks', message: /already used/ },
  { name: 'parametersSchema is an object', mutate: (m) => { m.plinth.tools[0].parametersSchema = 'x'; }, field: 'plinth.tools[0].parametersSchema', value: 'x', message: /must be a JSON Schema object/ },
  {
    name: 'parametersSchema compiles', mutate: (m) => { m.plinth.tools[0].parametersSchema = { type: 'objekt' }; },
    field: 'plinth.tools[0].parametersSchema', message: /is not a valid JSON Schema \(draft 2020-12\): .*type/,
  },
  { name: 'parametersSchema describes an object', mutate: (m) => { m.plinth.tools[0].parametersSchema = { type: 'string' }; }, field: 'plinth.tools[0].parametersSchema', message: /must have "type": "object"/ },
  {
    name: 'unknown capabilities are errors', mutate: (m) => { m.plinth.capabilities.push('tasks.readwrite'); },
    field: 'plinth.capabilities[10]', value: 'tasks.readwrite', message: /is not a known capability/,
  },
  { name: 'outbound hosts are host names', mutate: (m) => { m.plinth.capabilities.push('http.outbound:bad host'); }, field: 'plinth.capabilities[10]', value: 'http.outbound:bad host', message: /is not a known capability/ },
  {
    name: 'http.outbound:* belongs in optionalCapabilities only', mutate: (m) => { m.plinth.capabilities.push('http.outbound:*'); },
    field: 'plinth.capabilities[10]', value: 'http.outbound:*', message: /can only be listed in plinth\.optionalCapabilities/,
  },
  {
    name: 'optional capabilities are known capabilities', mutate: (m) => { m.plinth.optionalCapabilities = ['tasks.write', 'teleport']; },
    field: 'plinth.optionalCapabilities[1]', value: 'teleport', message: /is not a known capability.*"http\.outbound:\*"/,
  },
  {
    name: 'system.unsandboxed cannot be optional', mutate: (m) => { m.plinth.optionalCapabilities = ['system.unsandboxed']; },
    field: 'plinth.optionalCapabilities[0]', value: 'system.unsandboxed', message: /cannot be asked for at run time.*plinth\.capabilities/,
  },
  { name: 'optionalCapabilities is an array', mutate: (m) => { m.plinth.optionalCapabilities = 'tasks.write'; }, field: 'plinth.optionalCapabilities', value: 'tasks.write', message: /must be an array/ },
  { name: 'capabilities is an array', mutate: (m) => { m.plinth.capabilities = 'tasks.read'; }, field: 'plinth.capabilities', value: 'tasks.read', message: /must be an array/ },
  {
    name: 'configSchema compiles as JSON Schema 2020-12', mutate: (m) => { m.plinth.configSchema = { type: 'object', properties: { a: { type: 12 } } }; },
    field: 'plinth.configSchema', message: /is not a valid JSON Schema \(draft 2020-12\)/,
  },
  { name: 'configSchema describes an object', mutate: (m) => { m.plinth.configSchema = { type: 'array' }; }, field: 'plinth.configSchema', message: /must have "type": "object"/ },
  { name: 'configSchema is an object', mutate: (m) => { m.plinth.configSchema = []; }, field: 'plinth.configSchema', value: [], message: /must be a JSON Schema object/ },
  { name: 'activation events are known', mutate: (m) => { m.plinth.activationEvents = ['onLaunch']; }, field: 'plinth.activationEvents[0]', value: 'onLaunch', message: /must be "onStartup" or "onEvent:<event name>"/ },
  { name: 'onEvent names an event', mutate: (m) => { m.plinth.activationEvents = ['onEvent:']; }, field: 'plinth.activationEvents[0]', value: 'onEvent:', message: /must be "onStartup"/ },
  { name: 'onEvent names an event the bus can deliver (lowercase)', mutate: (m) => { m.plinth.activationEvents = ['onEvent:Task.Created']; }, field: 'plinth.activationEvents[0]', value: 'onEvent:Task.Created', message: /must be "onStartup"/ },
];

for (const row of rows) {
  test(`manifest rule: ${row.name}`, async (t) => {
    const manifest = fullManifest() as M;
    row.mutate(manifest);
    const dir = await makePluginFolder(t, manifest);
    const result = await validatePluginFolder(dir, {
      source: row.source ?? 'unpacked', ...(row.hostApiVersion ? { hostApiVersion: row.hostApiVersion } : {}),
    });
    assert.equal(result.ok, false, 'the plugin is refused');
    if (result.ok) return;
    const found: Problem | undefined = result.problems.find((p) => p.field === row.field);
    assert.ok(found, `a problem names ${row.field}; got ${JSON.stringify(result.problems.map(formatProblem))}`);
    assert.match(found.message, row.message);
    const head = row.value === undefined ? `${row.field}: ` : `${row.field}: ${JSON.stringify(row.value)} `;
    assert.ok(formatProblem(found).startsWith(head), `"${formatProblem(found)}" starts with ${head}`);
    assert.equal(result.problems.length, 1, `exactly one problem: ${JSON.stringify(result.problems.map(formatProblem))}`);
  });
}

test('the same manifest with a valid version of each field passes', async (t) => {
  const result = await validatePluginFolder(await makePluginFolder(t, fullManifest()), { source: 'unpacked' });
  assert.equal(result.ok, true, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
});

test('onEvent may name a scoped plugin\'s events, as the event bus delivers them', async (t) => {
  const manifest = fullManifest() as M;
  manifest.plinth.activationEvents = ['onEvent:plugin.@acme/sync.done', 'onEvent:plugin.@acme/sync.*'];
  const result = await validatePluginFolder(await makePluginFolder(t, manifest), { source: 'unpacked' });
  assert.equal(result.ok, true, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
});

test('optionalCapabilities accepts capabilities and http.outbound:*; one also in capabilities is a warning', async (t) => {
  const manifest = fullManifest() as M;
  manifest.plinth.optionalCapabilities = ['http.outbound:*', 'tasks.write', 'http.outbound:*.gitlab.com', 'tasks.read'];
  const result = await validatePluginFolder(await makePluginFolder(t, manifest), { source: 'unpacked' });
  assert.equal(result.ok, true, result.ok ? '' : result.problems.map(formatProblem).join('\n'));
  if (!result.ok) return;
  assert.deepEqual(result.manifest.plinth.optionalCapabilities, ['http.outbound:*', 'tasks.write', 'http.outbound:*.gitlab.com', 'tasks.read']);
  assert.deepEqual(result.warnings.map(formatProblem), ['plinth.optionalCapabilities[3]: "tasks.read" is already in plinth.capabilities, so the plugin holds it from the start; remove one of the two']);
});

test('a plinth- name is accepted for a bundled plugin', async (t) => {
  const manifest = fullManifest();
  manifest.name = 'plinth-kanban';
  const result = await validatePluginFolder(await makePluginFolder(t, manifest), { source: 'bundled' });
  assert.equal(result.ok, true);
});

test('every problem is reported at once, not only the first', async (t) => {
  const manifest = fullManifest() as M;
  manifest.version = 'one';
  manifest.plinth.ui.slots[0].type = 'nope';
  manifest.plinth.capabilities.push('teleport');
  const result = await validatePluginFolder(await makePluginFolder(t, manifest), { source: 'unpacked' });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(result.problems.map((p) => p.field).sort(), ['plinth.capabilities[10]', 'plinth.ui.slots[0].type', 'version']);
});
