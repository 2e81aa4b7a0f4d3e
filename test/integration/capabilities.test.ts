/**
 * The host is the capability guard (CONTRACT §4): for every worker → host
 * method of `HOST_API_CAPABILITIES`, a real worker without the capability is refused with
 * `CAPABILITY_DENIED` naming it and nothing changes, whether it calls through `ctx` or writes
 * the request straight onto its IPC channel; the same calls succeed with the capability.
 * Also: undeclared outbound hosts, and core events only for holders of the read capability.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Db } from '../../main/host/db/database.ts';
import type { Host } from '../../main/host/host.ts';
import { installLayout, pluginDataDirName } from '../../main/host/install/index.ts';
import { createRegistry } from '../../main/host/registry.ts';
import { createStateService } from '../../main/host/services/state.ts';
import type { Capability } from '../../sdk/protocol/capabilities.ts';
import type { EventEnvelope } from '../../sdk/protocol/entities.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import { HOST_API_CAPABILITIES, type HostMethod } from '../../sdk/protocol/rpc.ts';
import { createTestProfile } from '../support/test-host.ts';

/** A worker answer that never comes fails the call after this (ms) instead of the 30 s default. */
const CALL_TIMEOUT_MS = 10_000;
const USER = { user: true } as const;
const SECRET = 'tok-3f9a';
const KEPT = { scopeKind: 'instance', stateKey: 'kept' } as const;

/**
 * Worker source. Data `call` ({ method, args, via }) calls one host method and returns
 * `{ via, ok, value }` or `{ via, ok: false, code, message, capability }`. With `via: 'ctx'`
 * it goes through the matching `ctx` member when there is one; otherwise (and with `via: 'raw'`)
 * it writes the RPC request itself onto the worker's IPC channel, as a plugin that skips the
 * SDK would. Data `waitFor` ({ entityId }) resolves with the first event about `entityId` of
 * the subscriptions in `patterns`; `received` lists the names of all events received.
 */
function probeWorker(patterns: string[]): string {
  return `import { definePlugin } from '@plinth/sdk';
    let rawSeq = 0;
    function rawCall(method, args) {
      const id = 'raw-probe-' + (++rawSeq);
      return new Promise((resolve, reject) => {
        const onMessage = (text) => {
          let envelope;
          // Host → worker envelopes arrive parsed; accept text too.
          try { envelope = typeof text === 'string' ? JSON.parse(text) : text; } catch { return; }
          if (envelope?.ch !== 'w2h' || envelope.m?.id !== id) return;
          process.off('message', onMessage);
          const m = envelope.m;
          if (m.type !== 'HANDLER') return resolve(m.value);
          const wire = m.value.value;
          reject(Object.assign(new Error(wire.message), { code: wire.code, data: wire.data }));
        };
        process.on('message', onMessage);
        process.send(JSON.stringify({ ch: 'w2h', m: { id, type: 'APPLY', path: [method], argumentList: args.map((value) => ({ type: 'RAW', value })) } }));
      });
    }
    // These ctx members take a handler and report a refusal only by failing setup or in the log.
    const NOT_VIA_CTX = new Set(['jobs.register', 'tools.register', 'events.subscribe', 'events.unsubscribe', 'log']);
    function ctxCall(ctx, method, args) {
      if (method === 'http.fetch') { const { url, ...init } = args[0]; return ctx.http.fetch(url, init); }
      if (NOT_VIA_CTX.has(method)) return null;
      const [group, name] = method.split('.');
      const fn = ctx[group]?.[name];
      return typeof fn === 'function' ? fn(...args) : null;
    }
    const events = [];
    let waiters = [];
    export default definePlugin({ async setup(ctx) {
      for (const pattern of ${JSON.stringify(patterns)}) {
        ctx.events.on(pattern, async (event) => {
          events.push(event);
          waiters = waiters.filter((w) => (event.entityId === w.entityId ? (w.resolve(event), false) : true));
        });
      }
      ctx.data.register('call', async ({ method, args, via }) => {
        const viaCtx = via === 'ctx' ? ctxCall(ctx, method, args) : null;
        const used = viaCtx ? 'ctx' : 'raw';
        try {
          const value = await (viaCtx ?? rawCall(method, args));
          return { via: used, ok: true, value: value ?? null };
        } catch (e) {
          return { via: used, ok: false, code: e.code ?? null, message: e.message, capability: e.data?.capability ?? null };
        }
      });
      ctx.data.register('waitFor', async ({ entityId }) =>
        events.find((e) => e.entityId === entityId) ?? new Promise((resolve) => waiters.push({ entityId, resolve })));
      ctx.data.register('received', async () => events.map((e) => e.name));
    } });`;
}

/** Ids the calls act on; deletes get their own doomed entities. */
interface Fixture {
  projectId: string; taskId: string; commentId: string;
  doomedProjectId: string; doomedTaskId: string; doomedCommentId: string;
  secretRef: string; url: string;
}

/**
 * Arguments of every worker → host method, valid for the positive control. Typed over every
 * `HostMethod`, so a new method does not compile until it has a row here; its capability comes
 * from `HOST_API_CAPABILITIES` and the worker reaches it through ctx or the raw channel.
 */
const CALLS: Record<HostMethod, (f: Fixture) => Json[]> = {
  'log': () => ['info', 'probe'],
  'config.get': () => [],
  'secrets.resolve': (f) => [f.secretRef],
  'state.get': () => [{ scopeKind: 'instance', stateKey: 'probe' }],
  'state.list': () => [{ scopeKind: 'instance' }],
  'state.set': (): Json[] => [{ scopeKind: 'instance', stateKey: 'probe' }, { written: true }],
  'state.delete': () => [KEPT],
  'projects.list': () => [{ limit: 10 }],
  'projects.get': (f) => [f.projectId],
  'projects.create': () => [{ name: 'probe project' }],
  'projects.update': (f) => [f.projectId, { name: 'renamed by probe' }],
  'projects.delete': (f) => [f.doomedProjectId],
  'tasks.list': (f) => [{ projectId: f.projectId }],
  'tasks.get': (f) => [f.taskId],
  'tasks.create': (f) => [{ projectId: f.projectId, title: 'probe task' }],
  'tasks.update': (f) => [f.taskId, { status: 'done' }],
  'tasks.delete': (f) => [f.doomedTaskId],
  'comments.list': (f) => [{ taskId: f.taskId }],
  'comments.create': (f) => [{ taskId: f.taskId, body: 'probe comment' }],
  'comments.delete': (f) => [f.doomedCommentId],
  'activity.list': () => [{ limit: 10 }],
  'events.subscribe': () => ['raw-sub', 'task.created'],
  'events.unsubscribe': () => ['raw-sub'],
  'events.emit': () => ['probe', { n: 1 }],
  'jobs.register': () => ['sync'],
  'tools.register': () => ['probe'],
  'http.fetch': (f) => [{ url: f.url }],
  'files.write': () => ['probe/notes.txt', 'written by probe'],
  'files.stat': () => ['probe/notes.txt'],
  'files.list': () => ['probe'],
  'files.read': () => ['probe/notes.txt'],
  'files.delete': () => [doomedFiles.shift() ?? 'no doomed file left'],
  // A capability held from the start (every probe is unsandboxed) is granted without asking anyone; no window here.
  'permissions.request': () => [['system.unsandboxed'], 'probe'],
  'permissions.list': () => [],
  'streams.open': () => ['probe'],
  'streams.emit': () => ['probe', { n: 1 }],
  'streams.close': () => ['probe'],
};
const METHODS = Object.keys(HOST_API_CAPABILITIES) as HostMethod[];

/** The capability a denial of `method` must name. */
function neededCapability(method: HostMethod, url: string): string | null {
  const needed = HOST_API_CAPABILITIES[method];
  return needed === 'http.outbound' ? `http.outbound:${new URL(url).hostname}` : needed;
}

/** Every capability the table asks for, plus the outbound host of the test server. */
const ALL_CAPABILITIES = [
  ...new Set(Object.values(HOST_API_CAPABILITIES).filter((c): c is Capability => c !== null && c !== 'http.outbound')),
  'http.outbound:localhost',
];
const UNSANDBOXED = 'system.unsandboxed';
const CONFIG_SCHEMA = { type: 'object', properties: { token: { type: 'string', format: 'secret' } } };

interface CallResult { via: 'ctx' | 'raw'; ok: boolean; value?: Json; code?: string; message?: string; capability?: string | null }

// One host for the file: stopped, its workers killed and its folders removed after the last test.
const profile = createTestProfile({ after });
let host: Host;
let server: Server;
let httpRequests = 0;
let port = 0;
const observed: EventEnvelope[] = [];

before(async () => {
  server = createServer((_req, res) => {
    httpRequests += 1;
    res.end('pong');
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  port = (server.address() as AddressInfo).port;

  host = await profile.start({
    callTimeoutMs: CALL_TIMEOUT_MS, developerMode: () => true,
    plugins: [
      // The probes write raw RPC onto the IPC channel, as a plugin that skips the SDK would: only an unsandboxed worker can.
      { name: 'no-caps', capabilities: [UNSANDBOXED], worker: probeWorker([]), plinth: { configSchema: CONFIG_SCHEMA } },
      {
        name: 'all-caps', capabilities: [...ALL_CAPABILITIES, UNSANDBOXED], worker: probeWorker(['task.created']),
        plinth: {
          configSchema: CONFIG_SCHEMA,
          jobs: [{ jobKey: 'sync', displayName: 'Sync', schedule: '0 0 1 1 *' }],
          tools: [{ name: 'probe', displayName: 'Probe', description: 'Answers probes', parametersSchema: { type: 'object' } }],
        },
      },
      { name: 'no-task-read', capabilities: ['events.subscribe', 'projects.read', UNSANDBOXED], worker: probeWorker(['task.*', 'project.*']) },
    ],
  });
  for (const pattern of ['project.*', 'task.*', 'comment.*', 'plugin.*']) {
    host.services.bus.subscribe({
      pluginId: 'test-observer', subscriptionId: pattern, pattern, canReceive: () => true,
      deliver: async (event) => { observed.push(event); },
    });
  }
});

after(() => new Promise((resolve) => server?.close(resolve)));

/** Creates the entities, the secret (in the plugin's config) and the state entry the calls act on. */
function seed(pluginId: string): Fixture {
  const ws = host.services.workspace;
  const project = ws.projects.create(USER, { name: `${pluginId} project` });
  const task = ws.tasks.create(USER, { projectId: project.id, title: `${pluginId} task` });
  const secretRef = host.services.secrets.storeSecret(pluginId, SECRET);
  createRegistry(host.db).update(pluginId, { config: { token: secretRef } });
  createStateService(host.db).set(pluginId, KEPT, 'seeded');
  const dataDir = join(installLayout(profile.userDataDir).pluginDataDir, pluginDataDirName(pluginId));
  for (const via of ['ctx', 'raw']) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, `doomed-${via}.txt`), 'doomed');
    doomedFiles.push(`doomed-${via}.txt`);
  }
  return {
    projectId: project.id, taskId: task.id,
    commentId: ws.comments.create(USER, { taskId: task.id, body: 'seed' }).id,
    doomedProjectId: ws.projects.create(USER, { name: 'doomed' }).id,
    doomedTaskId: ws.tasks.create(USER, { projectId: project.id, title: 'doomed' }).id,
    doomedCommentId: ws.comments.create(USER, { taskId: task.id, body: 'doomed' }).id,
    secretRef, url: `http://localhost:${port}/probe`,
  };
}

/**
 * Lets the observer take the events already published: the bus delivers on microtasks and the
 * observer's `deliver` settles at once, so one turn of the event loop drains its queues.
 */
async function drainObserver(): Promise<void> {
  await nextTurn();
  assert.equal(host.services.bus.stats('test-observer').queued, 0);
  observed.length = 0;
}

const call = (pluginId: string, method: HostMethod, args: Json[], via: 'ctx' | 'raw') =>
  host.ui.data(pluginId, 'call', { method, args, via }) as Promise<unknown> as Promise<CallResult>;

/** Files seeded into the data folders for `files.delete` rows, one per call. */
const doomedFiles: string[] = [];

/** Every row of every table, for "nothing changed". */
function dump(db: Db): Record<string, string[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row)).sort()]));
}

test('without its capability every gated host method is denied, through ctx and on the raw channel, and nothing changes', async () => {
  const f = seed('no-caps');
  const tools = host.services.tools.list();
  const before = dump(host.db);
  await drainObserver();
  const viaCtx: string[] = [];
  for (const method of METHODS) {
    const needed = neededCapability(method, f.url);
    for (const via of ['ctx', 'raw'] as const) {
      const result = await call('no-caps', method, CALLS[method](f), via);
      if (result.via === 'ctx') viaCtx.push(method);
      if (needed === null) {
        assert.equal(result.ok, true, `${method} needs no capability (${result.message})`);
        continue;
      }
      assert.equal(result.ok, false, `${method} via ${result.via} was allowed without "${needed}"`);
      assert.equal(result.code, 'CAPABILITY_DENIED', `${method} via ${result.via}: ${result.message}`);
      assert.ok(result.message?.includes(`"${needed}"`), `${method} via ${result.via}: the message names "${needed}": ${result.message}`);
      assert.equal(result.capability, needed);
    }
  }
  assert.ok(viaCtx.includes('tasks.create') && viaCtx.includes('state.set') && viaCtx.includes('http.fetch'), `ctx members were used: ${viaCtx.join(', ')}`);
  assert.deepEqual(dump(host.db), before, 'no row of any table changed');
  assert.deepEqual(observed, [], 'no event was published');
  assert.equal(httpRequests, 0, 'no request left the host');
  assert.equal(host.services.bus.stats('no-caps').subscriptions, 0);
  assert.deepEqual(host.services.tools.list(), tools);
});

test('with the capability each of those calls succeeds (positive control)', async () => {
  const f = seed('all-caps');
  await drainObserver();
  for (const method of METHODS) {
    const result = await call('all-caps', method, CALLS[method](f), 'ctx');
    assert.equal(result.ok, true, `${method} via ${result.via}: ${result.code} ${result.message}`);
    if (method === 'secrets.resolve') assert.equal(result.value, SECRET);
  }
  assert.equal(httpRequests, 1);
  assert.ok(observed.some((e) => e.name === 'plugin.all-caps.probe'), 'the emitted plugin event was published');
  assert.ok(host.services.tools.list().find((tool) => tool.pluginId === 'all-caps')?.registered, 'the tool registration reached the host');
});

test('http.fetch to a host that is not declared is denied naming http.outbound:<host>, and sends nothing', async () => {
  const requests = httpRequests;
  for (const via of ['ctx', 'raw'] as const) {
    const result = await call('all-caps', 'http.fetch', [{ url: `http://127.0.0.1:${port}/probe` }], via);
    assert.equal(result.code, 'CAPABILITY_DENIED', result.message);
    assert.ok(result.message?.includes('http.outbound:127.0.0.1'), result.message);
  }
  assert.equal(httpRequests, requests);
});

test('core events reach only plugins holding the entity\'s read capability', async () => {
  assert.deepEqual(await host.ui.data('no-task-read', 'received', null), []);
  const ws = host.services.workspace;
  const project = ws.projects.create(USER, { name: 'events' });
  const seen = await host.ui.data('no-task-read', 'waitFor', { entityId: project.id }) as unknown as EventEnvelope;
  assert.equal(seen.name, 'project.created', 'the plugin gets events of entities it may read');

  const stats = host.services.bus.stats('no-task-read');
  const task = ws.tasks.create(USER, { projectId: project.id, title: 'secret plans' });
  // The bus decides who gets an event while publishing, so this is final, not a race.
  assert.deepEqual(host.services.bus.stats('no-task-read'), stats, 'nothing was queued for the plugin without tasks.read');
  const got = await host.ui.data('all-caps', 'waitFor', { entityId: task.id }) as unknown as EventEnvelope;
  assert.equal(got.name, 'task.created', 'a plugin with tasks.read got it');
  assert.deepEqual(await host.ui.data('no-task-read', 'received', null), ['project.created']);
});
