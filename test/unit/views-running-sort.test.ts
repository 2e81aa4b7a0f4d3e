// The Running plugins table: the order a user gets when clicking headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningPluginRow } from '../../preload/api.ts';
import { DEFAULT_SORT, RUNNING_COLUMNS, nextSort, sortRunningRows } from '../../renderer/src/views/running-columns.ts';

function row(pluginId: string, extra: Partial<RunningPluginRow> = {}): RunningPluginRow {
  return { pluginId, displayName: pluginId, runtime: 'stopped', rpcCalls: 0, restarts: 0, eventsDropped: 0, rateLimited: { ui: 0, worker: 0 }, ...extra };
}

const ids = (rows: RunningPluginRow[]) => rows.map((r) => r.pluginId);

test('the table starts sorted by plugin name, case-insensitively', () => {
  const rows = [row('b', { displayName: 'beta' }), row('a', { displayName: 'Alpha' }), row('c', { displayName: 'Gamma' })];
  assert.deepEqual(ids(sortRunningRows(rows, DEFAULT_SORT)), ['a', 'b', 'c']);
  assert.deepEqual(ids(sortRunningRows(rows, { column: 'plugin', direction: 'descending' })), ['c', 'b', 'a']);
});

test('numeric columns sort by value, and stopped workers without a value stay last in both directions', () => {
  const rows = [row('idle'), row('small', { runtime: 'running', rssMb: 40 }), row('big', { runtime: 'running', rssMb: 300 }), row('mid', { runtime: 'running', rssMb: 120 })];
  assert.deepEqual(ids(sortRunningRows(rows, { column: 'rss', direction: 'descending' })), ['big', 'mid', 'small', 'idle']);
  assert.deepEqual(ids(sortRunningRows(rows, { column: 'rss', direction: 'ascending' })), ['small', 'mid', 'big', 'idle']);
});

test('numbers compare as numbers, not text (9 before 10)', () => {
  const rows = [row('ten', { rpcCalls: 10 }), row('nine', { rpcCalls: 9 }), row('hundred', { rpcCalls: 100 })];
  assert.deepEqual(ids(sortRunningRows(rows, { column: 'rpcCalls', direction: 'ascending' })), ['nine', 'ten', 'hundred']);
});

test('ties keep plugin-name order, so rows do not jump between refreshes', () => {
  const rows = [row('c', { restarts: 1 }), row('a', { restarts: 1 }), row('b', { restarts: 2 })];
  assert.deepEqual(ids(sortRunningRows(rows, { column: 'restarts', direction: 'descending' })), ['b', 'a', 'c']);
  assert.deepEqual(ids(sortRunningRows(rows, { column: 'restarts', direction: 'ascending' })), ['a', 'c', 'b']);
});

test('runtime sorts live workers first, troubled next, idle last', () => {
  const rows = [row('s'), row('c', { runtime: 'crashed' }), row('r', { runtime: 'running' }), row('b', { runtime: 'backoff' }), row('st', { runtime: 'starting' })];
  assert.deepEqual(ids(sortRunningRows(rows, { column: 'runtime', direction: 'ascending' })), ['r', 'st', 'b', 'c', 's']);
});

test('sorting does not change the rows it was given', () => {
  const rows = [row('b'), row('a')];
  sortRunningRows(rows, DEFAULT_SORT);
  assert.deepEqual(ids(rows), ['b', 'a']);
});

test('clicking the sorted header flips it; a new numeric column starts biggest first, a text column A to Z', () => {
  assert.deepEqual(nextSort(DEFAULT_SORT, 'plugin'), { column: 'plugin', direction: 'descending' });
  assert.deepEqual(nextSort({ column: 'plugin', direction: 'descending' }, 'plugin'), { column: 'plugin', direction: 'ascending' });
  assert.deepEqual(nextSort(DEFAULT_SORT, 'cpu'), { column: 'cpu', direction: 'descending' });
  assert.deepEqual(nextSort({ column: 'cpu', direction: 'descending' }, 'lastError'), { column: 'lastError', direction: 'ascending' });
});

test('the Running view has a column for every runtime figure (pid, state, uptime, activation, memory, CPU, calls, p50, restarts, dropped events, rate limits, last error), with units and a dash for missing values', () => {
  const keys = RUNNING_COLUMNS.map((c) => c.key);
  assert.deepEqual(keys, ['plugin', 'pid', 'runtime', 'uptime', 'activation', 'rss', 'cpu', 'rpcCalls', 'p50', 'restarts', 'eventsDropped', 'rateLimited', 'lastError']);
  const cells = (r: RunningPluginRow) => Object.fromEntries(RUNNING_COLUMNS.map((c) => [c.key, c.format(r)]));
  const live = cells(row('x', { displayName: 'X', runtime: 'running', pid: 4242, uptimeS: 125, activationMs: 87.4, rssMb: 61.25, cpuPercent: 3.14, rpcCalls: 12, p50LatencyMs: 0.84, restarts: 1, eventsDropped: 0, lastError: 'boom' }));
  assert.equal(live.pid, '4242');
  assert.equal(live.runtime, 'Running');
  assert.equal(live.uptime, '2 min 05 s');
  assert.match(live.activation ?? '', /^87 ms$/);
  assert.match(live.rss ?? '', /^61[.,]3 MB$/);
  assert.match(live.cpu ?? '', /^3[.,]1 %$/);
  assert.match(live.p50 ?? '', /^0[.,]8 ms$/);
  assert.equal(live.lastError, 'boom');
  assert.equal(live.rateLimited, '0');
  assert.equal(cells(row('z', { rateLimited: { ui: 3, worker: 1200 } })).rateLimited, `3 UI / ${(1200).toLocaleString(undefined, { maximumFractionDigits: 0 })} worker`);
  const idle = cells(row('y'));
  for (const key of ['pid', 'uptime', 'activation', 'rss', 'cpu', 'p50', 'lastError']) assert.equal(idle[key], '—', key);
  assert.equal(idle.runtime, 'Idle');
});
