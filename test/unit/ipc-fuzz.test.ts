/**
 * Property-based fuzzing of the untrusted boundaries (fast-check): thousands of random payloads
 * to every renderer → main method, random frame messages, and random raw messages on a worker's
 * RPC channel. Nothing throws, nothing rejects unhandled, every malformed payload is refused
 * as a validation error before it reaches the host, and a well-formed one reaches its handler.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { createIpcHandlers } from '../../main/shell/ipc-handlers.ts';
import type { IpcPushTarget } from '../../main/shell/stream-subscriptions.ts';
import type { Host } from '../../main/host/host.ts';
import { MAIN_METHODS, mainMethodSchemas, type MainMethod } from '../../preload/main-methods.ts';
import type { IpcResult } from '../../preload/api.ts';
import { parseFrameMessage } from '../../renderer/src/frame-messages.ts';
import { createMemoryEndpointPair } from '../../sdk/rpc/endpoint.ts';
import { connectRpc } from '../../sdk/rpc/connect.ts';
import { readEnvelope, checkRequest, checkResponse } from '../../sdk/rpc/wire.ts';

const ORIGIN = 'plinth://app';
const TARGET: IpcPushTarget = { id: 'fuzz-window', push: () => undefined, onGone: () => undefined };
const SHELL = { url: `${ORIGIN}/index.html`, isMainFrame: true, target: TARGET };

/** A host whose every method answers an empty list at once: what reaches it is recorded, never refused. */
function recordingHost() {
  const reached: string[] = [];
  // Any member is a callable group too (host.ops.x, host.backups.x…): every call is recorded and answers [].
  const member = (path: string): unknown => new Proxy(() => undefined, {
    get: (_target, name) => member(`${path}.${String(name)}`),
    apply: () => {
      reached.push(path);
      return [];
    },
  });
  const host = member('host') as Host;
  const views = member('views') as NonNullable<Parameters<typeof createIpcHandlers>[0]['views']>;
  return { host, views, reached };
}

/** Collects unhandled rejections while `body` runs (and one macrotask after). */
async function withoutUnhandledRejections(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

function isIpcResult(value: unknown): value is IpcResult {
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  return typeof v === 'object' && v !== null && (v.ok === true || (v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string'));
}

const methods = Object.keys(MAIN_METHODS) as MainMethod[];
/** The payload schemas main validates with, to tell a malformed payload from a well-formed one a handler refused. */
const SCHEMAS = mainMethodSchemas(z);
/** Payloads shaped like the real ones: objects with the field names main uses and random values. */
const FIELD_NAMES = ['pluginId', 'key', 'params', 'enabled', 'slotType', 'path', 'allowDowngrade', 'approveCapabilities', 'afterSeq', 'values', 'patch',
  'kind', 'limit', 'cursor', 'jobKey', 'name', 'description', 'projectId', 'title', 'priority', 'taskId', 'status', 'body', 'commentId', 'channel',
  'subscriptionId', 'url', 'query', 'layout', 'entries', 'hidden'];
const shapedPayload = fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 5 });
const anyPayload = fc.oneof(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }), shapedPayload);

test('every renderer → main method, fed thousands of random payloads, answers an IpcResult; a malformed payload is refused as INVALID_INPUT', async () => {
  const { host, views, reached } = recordingHost();
  const { dispatch } = createIpcHandlers({ host, views, appInfo: { version: '0', pluginApiVersion: '1.0.0', platform: 'linux' }, openSettings: () => undefined });
  const codes = new Map<string, number>();
  const unhandled = await withoutUnhandledRejections(async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...methods), anyPayload, async (method, payload) => {
      const before = reached.length;
      const result = await dispatch(method, payload, SHELL, ORIGIN);
      assert.ok(isIpcResult(result), `${method}: an IpcResult`);
      if (!result.ok) {
        codes.set(result.error.code, (codes.get(result.error.code) ?? 0) + 1);
        if (SCHEMAS[method].safeParse(payload).success) {
          // Well-formed, so the handler itself refused it (streams.unsubscribe of an id this window
          // never had is NOT_FOUND): a code of its own, never a host bug.
          assert.notEqual(result.error.code, 'INTERNAL', `${method}: ${result.error.message}`);
          return;
        }
        assert.equal(result.error.code, 'INVALID_INPUT', `${method} refused with ${result.error.code}: ${result.error.message}`);
        assert.match(result.error.message, new RegExp(`^Invalid input for ${method.replace(/\./g, '\\.')}: `));
        assert.equal(reached.length, before, `${method}: a refused payload never reaches the host`);
      }
    }), { numRuns: 5_000 });
  });
  assert.deepEqual(unhandled, []);
  assert.ok((codes.get('INVALID_INPUT') ?? 0) > 1_000, 'most random payloads are refused');
});

test('random senders and method names are refused before any payload is looked at', async () => {
  const { host, views, reached } = recordingHost();
  const { dispatch } = createIpcHandlers({ host, views, appInfo: { version: '0', pluginApiVersion: '1.0.0', platform: 'linux' }, openSettings: () => undefined });
  const unhandled = await withoutUnhandledRejections(async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(fc.constantFrom(...methods), fc.string()), anyPayload,
      fc.record({ url: fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom('plinth-plugin://p0/frame.html', `${ORIGIN}/frame.html`)), isMainFrame: fc.boolean() }),
      async (method, payload, sender) => {
        const result = await dispatch(method, payload, sender, ORIGIN);
        assert.ok(isIpcResult(result));
        assert.equal(result.ok, false);
        if (!result.ok) assert.ok(['NOT_FOUND', 'CAPABILITY_DENIED'].includes(result.error.code), result.error.code);
      },
    ), { numRuns: 2_000 });
  });
  assert.deepEqual(unhandled, []);
  assert.deepEqual(reached, [], 'nothing from a foreign sender reached the host');
});

test('every frame message: random values never throw the parser and only well-formed requests and notices pass', () => {
  fc.assert(fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withTypedArray: true, withMap: true }), fc.record({
    id: fc.oneof(fc.integer(), fc.double(), fc.string()), method: fc.constantFrom('data', 'action', 'navigate', 'close', 'stream.subscribe', 'stream.close', 'evil'),
    key: fc.oneof(fc.string({ maxLength: 300 }), fc.anything()), params: fc.anything(), to: fc.anything(), channel: fc.anything(), type: fc.oneof(fc.constantFrom('resize', 'rendered', 'error', 'pong'), fc.anything()),
    height: fc.anything(), message: fc.anything(), pluginId: fc.string(),
  }, { requiredKeys: [] })), (message) => {
    const parsed = parseFrameMessage(message);
    if (parsed === null) return;
    assert.ok(parsed.kind === 'request' || parsed.kind === 'notice');
    assert.equal(JSON.stringify(parsed).includes('"pluginId"'), false, 'a frame never names a plugin id');
    if (parsed.kind === 'request') assert.ok(Number.isSafeInteger(parsed.request.id));
  }), { numRuns: 10_000 });
});

test('random raw messages on a worker channel never throw the decoder, and the host side keeps serving', async () => {
  fc.assert(fc.property(fc.anything({ withTypedArray: true, withNullPrototype: true }), (raw) => {
    readEnvelope(raw);
    checkRequest(raw, new Set(['log']));
    checkResponse(raw);
  }), { numRuns: 5_000 });

  for (const reportMalformed of [false, true]) {
    const [hostEnd, workerEnd] = createMemoryEndpointPair();
    const malformed: string[] = [];
    const host = connectRpc<{ ping(): string }, { echo(v: unknown): unknown }>(hostEnd, 'host', { ping: () => 'pong' },
      reportMalformed ? { onMalformed: (reason) => malformed.push(reason) } : {});
    const worker = connectRpc<{ echo(v: unknown): unknown }, { ping(): string }>(workerEnd, 'worker', { echo: (v: unknown) => v });
    const unhandled = await withoutUnhandledRejections(async () => {
      await fc.assert(fc.asyncProperty(fc.oneof(fc.json(), fc.string(), fc.record({ ch: fc.constantFrom('h2w', 'w2h', 'ctl'), m: fc.anything() })), async (raw) => {
        workerEnd.postMessage(typeof raw === 'string' ? raw : JSON.stringify(raw));
        await new Promise((resolve) => setImmediate(resolve));
      }), { numRuns: 1_000 });
    });
    assert.deepEqual(unhandled, []);
    if (reportMalformed) {
      // The app ends such a worker: the host hears of the first bad message once and reads nothing more.
      assert.equal(malformed.length, 1);
    } else {
      assert.equal(await worker.call('ping'), 'pong', 'after 1,000 random messages the host still serves its worker');
    }
    host.close();
    worker.close();
  }
});
