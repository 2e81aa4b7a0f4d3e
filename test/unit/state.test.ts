import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../main/host/db/database.ts';
import { createStateService, MAX_STATE_VALUE_BYTES } from '../../main/host/services/state.ts';

function service() {
  const db = openDatabase(':memory:');
  return { db, state: createStateService(db) };
}

test('state entries are identified by plugin, scope, namespace and key', () => {
  const { state } = service();
  state.set('a', { scopeKind: 'instance', stateKey: 'count' }, 1);
  state.set('a', { scopeKind: 'project', scopeId: 'p1', stateKey: 'count' }, 2);
  state.set('a', { scopeKind: 'project', scopeId: 'p1', namespace: 'sync', stateKey: 'count' }, 3);
  state.set('b', { scopeKind: 'instance', stateKey: 'count' }, 4);
  assert.equal(state.get('a', { scopeKind: 'instance', stateKey: 'count' }), 1);
  assert.equal(state.get('a', { scopeKind: 'project', scopeId: 'p1', stateKey: 'count' }), 2);
  assert.equal(state.get('a', { scopeKind: 'project', scopeId: 'p1', namespace: 'sync', stateKey: 'count' }), 3);
  assert.equal(state.get('b', { scopeKind: 'instance', stateKey: 'count' }), 4, 'plugins never see each other\'s entries');
  assert.equal(state.get('a', { scopeKind: 'task', scopeId: 't1', stateKey: 'count' }), null);
});

test('values round-trip as JSON, overwrite, list by scope and delete', () => {
  const { state } = service();
  const value = { nested: [1, 'two', { three: true }], nothing: null };
  state.set('a', { scopeKind: 'task', scopeId: 't', stateKey: 'x' }, value);
  state.set('a', { scopeKind: 'task', scopeId: 't', stateKey: 'y' }, 'first');
  state.set('a', { scopeKind: 'task', scopeId: 't', stateKey: 'y' }, 'second');
  assert.deepEqual(state.list('a', { scopeKind: 'task', scopeId: 't' }), [
    { key: { scopeKind: 'task', scopeId: 't', stateKey: 'x' }, value },
    { key: { scopeKind: 'task', scopeId: 't', stateKey: 'y' }, value: 'second' },
  ]);
  state.delete('a', { scopeKind: 'task', scopeId: 't', stateKey: 'x' });
  assert.equal(state.get('a', { scopeKind: 'task', scopeId: 't', stateKey: 'x' }), null);
});

test('malformed keys and oversized values are refused with a message naming the problem', () => {
  const { state } = service();
  assert.throws(() => state.set('a', { scopeKind: 'project', stateKey: 'k' }, 1), { code: 'INVALID_INPUT', message: /scopeId is required/ });
  assert.throws(() => state.get('a', { scopeKind: 'galaxy', stateKey: 'k' } as never), { code: 'INVALID_INPUT', message: /scopeKind/ });
  assert.throws(() => state.get('a', { scopeKind: 'instance', stateKey: '' }), { code: 'INVALID_INPUT', message: /stateKey/ });
  assert.throws(() => state.set('a', { scopeKind: 'instance', stateKey: 'big' }, 'x'.repeat(MAX_STATE_VALUE_BYTES)), { code: 'PAYLOAD_TOO_LARGE', message: /big/ });
  assert.equal(state.get('a', { scopeKind: 'instance', stateKey: 'big' }), null, 'nothing written');
});
