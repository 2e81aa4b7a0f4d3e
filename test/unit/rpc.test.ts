import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCode, PlinthError } from '../../sdk/protocol/errors.ts';
import { connectRpc } from '../../sdk/rpc/connect.ts';
import { createMemoryEndpointPair, type RawEndpoint } from '../../sdk/rpc/endpoint.ts';

/** Worker-side API of these tests. */
interface Calc {
  add(a: number, b: number): number;
  echo(value: unknown): unknown;
  fail(kind: 'plinth' | 'plain'): void;
  big(): string;
  never(): void;
}
/** Host-side API of these tests. */
interface Store { put(key: string, value: string): boolean; boom(): void }

const NINE_MIB = 9 * 1024 * 1024;
/** A reply that never comes fails its test after this (ms) instead of hanging the run. */
const NO_HANG = { timeout: 5_000 };

function pair() {
  const [hostEnd, workerEnd] = createMemoryEndpointPair();
  const stored = new Map<string, string>();
  const host = connectRpc<Store, Calc>(hostEnd, 'host', {
    put: (key, value) => (stored.set(key, value), true),
    boom: () => {
      throw new TypeError('host bug');
    },
  });
  const worker = connectRpc<Calc, Store>(workerEnd, 'worker', {
    add: (a, b) => a + b,
    echo: async (value) => value,
    fail: (kind) => {
      if (kind === 'plinth') throw new PlinthError('CONFLICT', 'already there', { key: 'k' });
      throw new RangeError('plugin bug');
    },
    big: () => 'x'.repeat(NINE_MIB),
    never: () => new Promise<void>(() => undefined),
  });
  return { host, worker, stored, hostEnd, workerEnd };
}

test('both sides call each other over one endpoint pair, typed by method name', async () => {
  const { host, worker, stored } = pair();
  assert.equal(await host.call('add', 2, 3), 5);
  assert.equal(await worker.call('put', 'a', 'b'), true);
  assert.equal(stored.get('a'), 'b');
});

test('only JSON values cross: a Date arrives as its ISO string, a Map as {}, undefined fields vanish', async () => {
  const { host } = pair();
  const at = new Date('2024-01-02T03:04:05.000Z');
  assert.deepEqual(await host.call('echo', { at, map: new Map([[1, 2]]), gone: undefined }), { at: at.toISOString(), map: {} });
});

test('errors keep code, data and name across the hop; uncoded errors get the side fallback code', async () => {
  const { host, worker } = pair();
  await assert.rejects(host.call('fail', 'plinth'), (e: PlinthError) =>
    e instanceof PlinthError && e.code === 'CONFLICT' && e.message === 'already there' && (e.data as { key: string }).key === 'k');
  await assert.rejects(host.call('fail', 'plain'), (e: PlinthError) => e.code === 'PLUGIN_ERROR' && e.message === 'plugin bug' && e.name === 'RangeError');
  await assert.rejects(worker.call('boom'), (e: PlinthError) => e.code === 'INTERNAL' && e.message === 'host bug');
});

test('an oversized request is never sent: the caller gets PAYLOAD_TOO_LARGE and both sides keep working', async () => {
  const { host, worker, stored } = pair();
  await assert.rejects(worker.call('put', 'k', 'x'.repeat(NINE_MIB)), (e: Error) => hasCode(e, 'PAYLOAD_TOO_LARGE') && /put/.test(e.message));
  assert.equal(stored.has('k'), false);
  assert.equal(await worker.call('put', 'k', 'small'), true);
  assert.equal(await host.call('add', 1, 1), 2);
});

test('an oversized response is replaced by a PAYLOAD_TOO_LARGE error and both sides keep working', async () => {
  const { host, worker } = pair();
  await assert.rejects(host.call('big'), (e: Error) => hasCode(e, 'PAYLOAD_TOO_LARGE') && /big/.test(e.message));
  assert.equal(await host.call('add', 1, 2), 3);
  assert.equal(await worker.call('put', 'a', 'b'), true);
});

test('a value JSON cannot carry rejects the call with INVALID_INPUT instead of throwing', async () => {
  const { host } = pair();
  await assert.rejects(host.call('echo', { n: 1n }), (e: Error) => hasCode(e, 'INVALID_INPUT'));
});

test('close() rejects calls in flight and later calls with its reason', async () => {
  const { host } = pair();
  const inFlight = host.call('never');
  host.close(new PlinthError('WORKER_CRASHED', 'gone'));
  await assert.rejects(inFlight, (e: Error) => hasCode(e, 'WORKER_CRASHED'));
  await assert.rejects(host.call('add', 1, 2), (e: Error) => hasCode(e, 'WORKER_CRASHED'));
  assert.equal(host.closed, true);
});

test('calls made before the peer listens are held and delivered once it says hello', NO_HANG, async () => {
  const [hostEnd, workerEnd] = createMemoryEndpointPair();
  const host = connectRpc<object, Calc>(hostEnd, 'host', {});
  const answer = host.call('add', 20, 22);
  await new Promise((resolve) => setImmediate(resolve)); // the host's hello is gone by now
  connectRpc<Pick<Calc, 'add'>, object>(workerEnd, 'worker', { add: (a, b) => a + b });
  assert.equal(await answer, 42);
});

/** Sends raw comlink messages as a hostile worker would, and collects the replies. */
function rawPeer(end: RawEndpoint) {
  type Reply = { id?: string; type?: string; value?: { value?: { code?: string } } };
  const replies: Reply[] = [];
  const waiting = new Map<string, (reply: Reply) => void>();
  end.onMessage((text) => {
    const { ch, m } = JSON.parse(text as string) as { ch: string; m: Reply };
    if (ch === 'ctl') end.postMessage(JSON.stringify({ ch: 'ctl', m: { hello: true, reply: true } }));
    else {
      replies.push(m);
      if (m.id !== undefined) waiting.get(m.id)?.(m);
    }
  });
  end.postMessage(JSON.stringify({ ch: 'ctl', m: { hello: true, reply: false } }));
  const send = (m: unknown) => end.postMessage(JSON.stringify({ ch: 'w2h', m }));
  /** Resolves with the reply to request `id`, past or future. */
  const reply = (id: string) => new Promise<Reply>((resolve) => {
    const found = replies.find((r) => r.id === id);
    if (found) resolve(found);
    else waiting.set(id, resolve);
  });
  return { send, reply };
}

test('a peer cannot read, overwrite or pollute host objects through comlink GET/SET or nested paths', NO_HANG, async () => {
  const [hostEnd, workerEnd] = createMemoryEndpointPair();
  const store: Store = { put: () => true, boom: () => undefined };
  connectRpc<Store, object>(hostEnd, 'host', store);
  const peer = rawPeer(workerEnd);
  const probes = [
    { id: 'set', type: 'SET', path: ['__proto__', 'polluted'], value: { type: 'RAW', value: true } },
    { id: 'get', type: 'GET', path: ['put'] },
    { id: 'nested', type: 'APPLY', path: ['put', 'call'], argumentList: [] },
    { id: 'proto', type: 'APPLY', path: ['toString'], argumentList: [] },
    { id: 'handler', type: 'APPLY', path: ['put'], argumentList: [{ type: 'HANDLER', name: 'proxy', value: 1 }] },
  ];
  for (const probe of probes) peer.send(probe);
  for (const probe of probes) {
    const reply = await peer.reply(probe.id);
    assert.equal(reply.type, 'HANDLER', `${probe.id} must be answered with an error`);
    assert.ok(['INVALID_INPUT', 'NOT_FOUND'].includes(reply.value?.value?.code ?? ''), probe.id);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(typeof store.put, 'function');
});

/** Two endpoints over JSON lines, as the Node transport frames them: each side writes what it is given as JSON text (a string as the line itself). */
function jsonLinesPair(flags: { worker: Partial<RawEndpoint>; host: Partial<RawEndpoint> }, seen: { fromWorker: unknown[] }): [RawEndpoint, RawEndpoint] {
  const listeners = [new Set<(m: unknown) => void>(), new Set<(m: unknown) => void>()];
  const end = (self: 0 | 1): RawEndpoint => ({
    ...(self === 0 ? flags.host : flags.worker),
    postMessage(message) {
      if (self === 1) seen.fromWorker.push(message);
      const line = self === 0 && typeof message === 'string' ? message : JSON.stringify(message);
      setImmediate(() => { for (const l of listeners[self ^ 1]!) l(JSON.parse(line)); });
    },
    onMessage(listener) {
      listeners[self]!.add(listener);
      return () => listeners[self]!.delete(listener);
    },
  });
  return [end(0), end(1)];
}

test('over a transport that writes JSON itself, envelopes travel as objects (no JSON string inside a JSON message); a host end that did not parse them refuses objects', NO_HANG, async () => {
  const seen = { fromWorker: [] as unknown[] };
  const [hostEnd, workerEnd] = jsonLinesPair({ worker: { postsJson: true, parsesJson: true }, host: { parsesJson: true } }, seen);
  const host = connectRpc<Store, Calc>(hostEnd, 'host', { put: () => true, boom: () => undefined });
  connectRpc<Calc, Store>(workerEnd, 'worker', { add: (a, b) => a + b, echo: (v) => v, fail: () => undefined, big: () => '', never: () => undefined });
  assert.equal(await host.call('add', 2, 3), 5);
  assert.ok(seen.fromWorker.length > 0 && seen.fromWorker.every((m) => typeof m === 'object' && m !== null && 'ch' in m), 'the worker posted envelope objects');

  const strict = { fromWorker: [] as unknown[] };
  const [strictHost, objectWorker] = jsonLinesPair({ worker: { postsJson: true }, host: {} }, strict);
  const malformed = Promise.withResolvers<string>();
  connectRpc<Store, Calc>(strictHost, 'host', { put: () => true, boom: () => undefined }, { onMalformed: malformed.resolve });
  connectRpc<Calc, Store>(objectWorker, 'worker', { add: (a, b) => a + b, echo: (v) => v, fail: () => undefined, big: () => '', never: () => undefined });
  assert.match(await malformed.promise, /non-text message/);
});
