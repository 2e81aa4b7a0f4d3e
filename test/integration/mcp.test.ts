import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createMcpServer } from '../../main/host/services/tools/mcp-server.ts';
import { createToolRegistry } from '../../main/host/services/tools/tool-registry.ts';
import type { Json } from '../../sdk/protocol/json.ts';

const TOKEN = randomBytes(24).toString('base64url');

async function startServer(t: TestContext) {
  const calls: Array<{ pluginId: string; name: string; params: Json }> = [];
  const registry = createToolRegistry({
    callTool: async (pluginId, name, params) => {
      calls.push({ pluginId, name, params });
      if (name === 'fail') throw new Error('GitHub is down');
      return { content: `3 ${(params as { status: string }).status}`, data: { count: 3 } };
    },
  });
  registry.setPluginTools('@acme/kanban-overview', 'Kanban overview', [
    { name: 'count-tasks', displayName: 'Count tasks', description: 'Counts tasks by status',
      parametersSchema: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } },
    { name: 'fail', displayName: 'Fail', description: 'Always fails', parametersSchema: { type: 'object' } },
  ]);
  const server = createMcpServer({ registry, token: TOKEN });
  t.after(() => server.stop());
  const { url } = await server.start();
  return { url, calls };
}

async function connect(t: TestContext, url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'plinth-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  t.after(() => client.close());
  return client;
}

test('an MCP client lists plugin tools as <plugin>__<tool> and calls one', async (t) => {
  const { url, calls } = await startServer(t);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  const client = await connect(t, url, TOKEN);
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name), ['acme-kanban-overview__count-tasks', 'acme-kanban-overview__fail']);
  assert.equal(tools[0]?.inputSchema.type, 'object');
  assert.match(tools[0]?.description ?? '', /Counts tasks by status.*Kanban overview/);

  const result = await client.callTool({ name: 'acme-kanban-overview__count-tasks', arguments: { status: 'todo' } });
  assert.equal(result.isError, false);
  assert.deepEqual((result.content as Array<{ type: string; text: string }>)[0], { type: 'text', text: '3 todo' });
  assert.deepEqual(result.structuredContent, { count: 3 });
  assert.deepEqual(calls, [{ pluginId: '@acme/kanban-overview', name: 'count-tasks', params: { status: 'todo' } }]);
});

test('invalid params and a failing tool come back as error results the agent can read', async (t) => {
  const { url, calls } = await startServer(t);
  const client = await connect(t, url, TOKEN);
  const invalid = await client.callTool({ name: 'acme-kanban-overview__count-tasks', arguments: { status: 7 } });
  assert.equal(invalid.isError, true);
  assert.match((invalid.content as Array<{ text: string }>)[0]?.text ?? '', /INVALID_INPUT: Invalid parameters .*\/status must be string/);
  assert.equal(calls.length, 0, 'the worker never saw invalid params');
  const failed = await client.callTool({ name: 'acme-kanban-overview__fail', arguments: {} });
  assert.equal(failed.isError, true);
  assert.match((failed.content as Array<{ text: string }>)[0]?.text ?? '', /GitHub is down/);
  await assert.rejects(client.callTool({ name: 'nope__nothing', arguments: {} }), /Unknown tool/);
});

test('a wrong or missing bearer token is rejected with 401', async (t) => {
  const { url } = await startServer(t);
  await assert.rejects(connect(t, url, 'wrong-token-wrong-token'), /Missing or wrong bearer token/);
  const raw = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
  assert.equal(raw.status, 401);
  assert.equal(raw.headers.get('www-authenticate'), 'Bearer realm="plinth"');
  // fetch cannot set Host; node:http can, as a browser tricked by DNS rebinding would.
  const wrongHost = await new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, host: 'evil.example:80' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('{}');
  });
  assert.equal(wrongHost, 403, 'DNS-rebinding guard: only loopback Host headers');
});
