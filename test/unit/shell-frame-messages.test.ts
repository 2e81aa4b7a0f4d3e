import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH, MAX_KEY_LENGTH, isJson, parseFrameMessage } from '../../renderer/src/frame-messages.ts';

test('well-formed frame requests and notices pass, with params defaulting to null', () => {
  assert.deepEqual(parseFrameMessage({ id: 1, method: 'data', key: 'greeting', params: { a: [1, 'x', null, true] } }),
    { kind: 'request', request: { id: 1, method: 'data', key: 'greeting', params: { a: [1, 'x', null, true] } } });
  assert.deepEqual(parseFrameMessage({ id: 2, method: 'action', key: 'increment' }),
    { kind: 'request', request: { id: 2, method: 'action', key: 'increment', params: null } });
  assert.deepEqual(parseFrameMessage({ id: 3, method: 'stream.subscribe', channel: 'progress' }),
    { kind: 'request', request: { id: 3, method: 'stream.subscribe', channel: 'progress' } });
  assert.deepEqual(parseFrameMessage({ id: 4, method: 'navigate', to: '/projects' }),
    { kind: 'request', request: { id: 4, method: 'navigate', to: '/projects' } });
  assert.deepEqual(parseFrameMessage({ id: 5, method: 'close' }), { kind: 'request', request: { id: 5, method: 'close' } });
  assert.deepEqual(parseFrameMessage({ type: 'resize', height: 120.5 }), { kind: 'notice', notice: { type: 'resize', height: 120.5 } });
  assert.deepEqual(parseFrameMessage({ type: 'rendered' }), { kind: 'notice', notice: { type: 'rendered' } });
});

test('a frame cannot smuggle a plugin id: extra fields are dropped', () => {
  const parsed = parseFrameMessage({ id: 1, method: 'data', key: 'k', params: null, pluginId: 'someone-else' });
  assert.deepEqual(parsed, { kind: 'request', request: { id: 1, method: 'data', key: 'k', params: null } });
});

test('malformed messages are dropped', () => {
  const bad: unknown[] = [
    null, 'data', 42, [], {},
    { id: '1', method: 'data', key: 'k' },
    { id: 1.5, method: 'data', key: 'k' },
    { id: 1, method: 'delete', key: 'k' },
    { id: 1, method: 'data' },
    { id: 1, method: 'data', key: '' },
    { id: 1, method: 'data', key: 'k'.repeat(MAX_KEY_LENGTH + 1) },
    { id: 1, method: 'data', key: 'k', params: new Date() },
    { id: 1, method: 'data', key: 'k', params: { n: Number.NaN } },
    { id: 1, method: 'data', key: 'k', params: new Map() },
    { id: 1, method: 'stream.subscribe' },
    { id: 1, method: 'navigate', to: 42 },
    { type: 'resize', height: -1 },
    { type: 'resize', height: Number.POSITIVE_INFINITY },
    { type: 'resize' },
    { type: 'error' },
    { type: 'plinth:port' },
  ];
  for (const message of bad) assert.equal(parseFrameMessage(message), null, JSON.stringify(String(message)));
});

test('isJson refuses cycles and values nested deeper than the limit', () => {
  let deep: unknown = 1;
  for (let i = 0; i <= MAX_JSON_DEPTH + 1; i++) deep = [deep];
  assert.equal(isJson(deep), false);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(isJson(cyclic), false);
  assert.equal(isJson({ ok: [1, { two: 'x' }] }), true);
});
