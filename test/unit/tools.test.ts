import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createToolRegistry, qualifyToolName } from '../../main/host/services/tools/tool-registry.ts';
import { hasCode, PlinthError } from '../../sdk/protocol/errors.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import type { ToolDeclaration } from '../../sdk/protocol/manifest.ts';
import type { ToolResult, ToolRun } from '../../sdk/protocol/rpc.ts';

const COUNT: ToolDeclaration = {
  name: 'count-tasks', displayName: 'Count tasks', description: 'Counts tasks by status',
  parametersSchema: { type: 'object', properties: { status: { type: 'string', enum: ['todo', 'done'] }, limit: { type: 'integer' } }, required: ['status'], additionalProperties: false },
};

function registry(result: ToolResult | (() => Promise<ToolResult>) = { content: '3 open', data: { open: 3 } }) {
  const calls: Array<{ pluginId: string; name: string; params: Json; run: ToolRun }> = [];
  const tools = createToolRegistry({
    callTool: async (pluginId, name, params, run) => {
      calls.push({ pluginId, name, params, run });
      return typeof result === 'function' ? result() : result;
    },
  });
  return { tools, calls };
}

test('qualified names are <plugin>__<tool>, MCP-safe, deterministic and at most 64 characters', () => {
  assert.equal(qualifyToolName('@acme/kanban-overview', 'count-tasks'), 'acme-kanban-overview__count-tasks');
  assert.equal(qualifyToolName('my_plugin.js', 'do.it'), 'my-plugin-js__do-it');
  const long = qualifyToolName(`@acme/${'x'.repeat(80)}`, 'tool');
  assert.equal(long.length, 64);
  assert.match(long, /^[A-Za-z0-9_-]+$/);
  assert.equal(long, qualifyToolName(`@acme/${'x'.repeat(80)}`, 'tool'));
  assert.notEqual(long, qualifyToolName(`@acme/${'x'.repeat(80)}`, 'tool2'));
});

test('declared tools are listed before any worker runs, and a call reaches the worker with a run id', async () => {
  const { tools, calls } = registry();
  tools.setPluginTools('@acme/kanban-overview', 'Kanban overview', [COUNT]);
  assert.deepEqual(tools.list().map((entry) => [entry.qualifiedName, entry.pluginId, entry.tool.name, entry.registered]),
    [['acme-kanban-overview__count-tasks', '@acme/kanban-overview', 'count-tasks', false]]);
  const result = await tools.call('acme-kanban-overview__count-tasks', { status: 'todo' }, { agent: 'claude' });
  assert.deepEqual(result, { content: '3 open', data: { open: 3 } });
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.name, 'count-tasks');
  assert.deepEqual(calls[0]?.params, { status: 'todo' });
  assert.equal(calls[0]?.run.agent, 'claude');
  assert.match(calls[0]?.run.runId ?? '', /^[0-9a-f-]{36}$/);
});

test('invalid parameters are refused with the ajv errors listed, before the worker is called', async () => {
  const { tools, calls } = registry();
  tools.setPluginTools('@acme/k', 'K', [COUNT]);
  await assert.rejects(tools.call('acme-k__count-tasks', { status: 'open', limit: 1.5, extra: true }), (error: PlinthError) => {
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, /\/status must be equal to one of the allowed values/);
    assert.match(error.message, /\/limit must be integer/);
    assert.match(error.message, /must NOT have additional properties/);
    assert.ok(Array.isArray(error.data && (error.data as { errors: Json[] }).errors));
    return true;
  });
  await assert.rejects(tools.call('acme-k__count-tasks', undefined), /must have required property 'status'/);
  await assert.rejects(tools.call('acme-k__nope', {}), (error: Error) => hasCode(error, 'NOT_FOUND'));
  assert.equal(calls.length, 0);
});

test('a parametersSchema with an $id can be published again (re-enable, reload) and by another plugin', async () => {
  const { tools } = registry();
  const withId = (): ToolDeclaration => ({ ...COUNT, parametersSchema: { ...COUNT.parametersSchema, $id: 'https://acme.example/count.json' } });
  tools.setPluginTools('@acme/a', 'A', [withId()]);
  tools.setPluginTools('@acme/a', 'A', [withId()]);
  tools.setPluginTools('@acme/b', 'B', [withId()]);
  assert.deepEqual(tools.list().map((entry) => entry.qualifiedName), ['acme-a__count-tasks', 'acme-b__count-tasks']);
  await assert.rejects(tools.call('acme-b__count-tasks', { status: 'later' }), (error: Error) => hasCode(error, 'INVALID_INPUT'));
});

test('a worker may register only declared tools', () => {
  const { tools } = registry();
  tools.setPluginTools('@acme/k', 'K', [COUNT]);
  tools.markRegistered('@acme/k', 'count-tasks');
  assert.equal(tools.get('acme-k__count-tasks')?.registered, true);
  assert.throws(() => tools.markRegistered('@acme/k', 'undeclared'), (error: Error) => hasCode(error, 'INVALID_INPUT') && /plinth\.tools/.test(error.message));
  assert.throws(() => tools.markRegistered('@acme/other', 'count-tasks'), (error: Error) => hasCode(error, 'INVALID_INPUT'));
  tools.clearRegistrations('@acme/k');
  assert.equal(tools.get('acme-k__count-tasks')?.registered, false);
});

test('bad declarations and name clashes are refused without changing what is published', () => {
  const { tools } = registry();
  tools.setPluginTools('@acme/k', 'K', [COUNT]);
  assert.throws(() => tools.setPluginTools('@acme/k', 'K', [COUNT, COUNT]), /declared twice/);
  assert.throws(() => tools.setPluginTools('@acme/k', 'K', [{ ...COUNT, parametersSchema: { type: 'string' } }]), /"type": "object"/);
  assert.throws(() => tools.setPluginTools('@acme/k', 'K', [{ ...COUNT, parametersSchema: { type: 'object', properties: { a: { type: 'nonsense' } } } }]),
    (error: Error) => hasCode(error, 'INVALID_INPUT') && /invalid parametersSchema/.test(error.message));
  // `acme.k` maps to the same plugin part as `@acme/k`.
  assert.throws(() => tools.setPluginTools('acme.k', 'Other', [COUNT]), (error: Error) => hasCode(error, 'CONFLICT') && /@acme\/k/.test(error.message));
  assert.deepEqual(tools.list().map((entry) => entry.qualifiedName), ['acme-k__count-tasks']);
  tools.removePlugin('@acme/k');
  assert.deepEqual(tools.list(), []);
});

test('a malformed result from the worker is a PLUGIN_ERROR; worker errors pass through', async () => {
  const bad = registry({ content: 42 } as unknown as ToolResult);
  bad.tools.setPluginTools('@acme/k', 'K', [COUNT]);
  await assert.rejects(bad.tools.call('acme-k__count-tasks', { status: 'todo' }), (error: Error) => hasCode(error, 'PLUGIN_ERROR'));
  const failing = registry(async () => { throw new PlinthError('TIMEOUT', 'worker did not answer'); });
  failing.tools.setPluginTools('@acme/k', 'K', [COUNT]);
  await assert.rejects(failing.tools.call('acme-k__count-tasks', { status: 'todo' }), (error: Error) => hasCode(error, 'TIMEOUT'));
});
