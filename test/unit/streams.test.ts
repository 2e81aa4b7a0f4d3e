import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStreamService, MAX_STREAM_EVENT_BYTES } from '../../main/host/services/streams/stream-service.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';
import type { Json } from '../../sdk/protocol/json.ts';

/** A frame-side listener that records what it gets. */
function recorder() {
  const events: Json[] = [];
  const states: Array<{ connected: boolean; error?: string }> = [];
  return {
    events, states,
    listener: {
      push(event: Json) { events.push(event); },
      state(connected: boolean, error?: string) { states.push(error === undefined ? { connected } : { connected, error }); },
    },
  };
}

test('events reach subscribers of the same plugin only, with connection state', () => {
  const streams = createStreamService();
  const own = recorder();
  const other = recorder();
  streams.subscribe('@acme/a', 'progress', own.listener);
  streams.subscribe('@acme/b', 'progress', other.listener);
  assert.deepEqual(own.states, [{ connected: false }], 'subscribing before the worker opens is allowed');
  assert.equal(streams.hasOpenStreams('@acme/a'), false);

  streams.open('@acme/a', 'progress');
  assert.equal(streams.hasOpenStreams('@acme/a'), true);
  streams.emit('@acme/a', 'progress', { done: 1 });
  streams.emit('@acme/a', 'progress', { done: 2 });
  assert.deepEqual(own.events, [{ done: 1 }, { done: 2 }]);
  assert.deepEqual(other.events, [], "another plugin's frame with the same channel name gets nothing");
  assert.deepEqual(other.states, [{ connected: false }]);

  streams.close('@acme/a', 'progress');
  assert.equal(streams.hasOpenStreams('@acme/a'), false);
  assert.deepEqual(own.states, [{ connected: false }, { connected: true }, { connected: false }]);
});

test('emit on a closed or unknown channel is a clear error; names and sizes are validated', () => {
  const streams = createStreamService();
  assert.throws(() => streams.emit('@acme/a', 'never-opened', 1), (error: Error) => hasCode(error, 'NOT_FOUND') && /ctx\.streams\.open\("never-opened"\)/.test(error.message));
  streams.open('@acme/a', 'c');
  streams.close('@acme/a', 'c');
  assert.throws(() => streams.emit('@acme/a', 'c', 1), (error: Error) => hasCode(error, 'NOT_FOUND'));
  assert.throws(() => streams.open('@acme/a', ''), (error: Error) => hasCode(error, 'INVALID_INPUT'));
  assert.throws(() => streams.open('@acme/a', 'has space'), (error: Error) => hasCode(error, 'INVALID_INPUT'));
  assert.throws(() => streams.subscribe('@acme/a', 'x'.repeat(129), recorder().listener), (error: Error) => hasCode(error, 'INVALID_INPUT'));
  streams.open('@acme/a', 'big');
  assert.throws(() => streams.emit('@acme/a', 'big', 'x'.repeat(MAX_STREAM_EVENT_BYTES)), (error: Error) => hasCode(error, 'PAYLOAD_TOO_LARGE'));
  streams.emit('@acme/a', 'big', 'x'.repeat(MAX_STREAM_EVENT_BYTES - 2));
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => streams.emit('@acme/a', 'big', cyclic as Json), (error: Error) => hasCode(error, 'INVALID_INPUT'));
});

test('a slow subscriber keeps a bounded buffer: oldest events dropped, drops reported, fast ones unaffected', async () => {
  const streams = createStreamService({ queueLimit: 3 });
  const fast = recorder();
  const slowEvents: Json[] = [];
  const slowStates: Array<{ connected: boolean; error?: string }> = [];
  const pending: Array<() => void> = [];
  streams.subscribe('@acme/a', 'feed', fast.listener);
  streams.subscribe('@acme/a', 'feed', {
    push(event) { slowEvents.push(event); return new Promise<void>((resolve) => pending.push(resolve)); },
    state(connected, error) { slowStates.push(error === undefined ? { connected } : { connected, error }); },
  });
  streams.open('@acme/a', 'feed');
  for (let i = 0; i < 10; i++) streams.emit('@acme/a', 'feed', i);

  assert.deepEqual(fast.events, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(slowEvents, [0], 'one push in flight, the rest buffered');
  // 9 waiting events, 3 kept: 6 dropped, reported once at the start of the burst.
  assert.deepEqual(slowStates.slice(2), [{ connected: true, error: '1 stream events dropped in total: this view could not keep up' }]);

  // Let the slow frame catch up: it gets the 3 newest, then a final tally of the drops.
  while (pending.length > 0) {
    pending.shift()?.();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.deepEqual(slowEvents, [0, 7, 8, 9]);
  assert.deepEqual(slowStates.at(-1), { connected: true, error: '6 stream events dropped in total: this view could not keep up' });
});

test('unsubscribing and closeAll stop delivery; a throwing frame is dropped without affecting others', () => {
  const streams = createStreamService();
  const a = recorder();
  const b = recorder();
  const unsubscribe = streams.subscribe('@acme/a', 'c1', a.listener);
  streams.subscribe('@acme/a', 'c1', { push() { throw new Error('frame gone'); }, state() {} });
  streams.subscribe('@acme/a', 'c2', b.listener);
  streams.open('@acme/a', 'c1');
  streams.open('@acme/a', 'c2');
  streams.emit('@acme/a', 'c1', 'one');
  streams.emit('@acme/a', 'c1', 'two');
  assert.deepEqual(a.events, ['one', 'two']);
  unsubscribe();
  streams.emit('@acme/a', 'c1', 'three');
  assert.deepEqual(a.events, ['one', 'two']);

  streams.closeAll('@acme/a', 'The plugin stopped');
  assert.equal(streams.hasOpenStreams('@acme/a'), false);
  assert.deepEqual(b.states.at(-1), { connected: false, error: 'The plugin stopped' });
  assert.throws(() => streams.emit('@acme/a', 'c2', 1), (error: Error) => hasCode(error, 'NOT_FOUND'));
});
