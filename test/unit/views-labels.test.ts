// Formatting and small helpers of the activity, jobs, MCP and running views.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActivityEntry } from '../../sdk/protocol/entities.ts';
import type { PluginJobView } from '../../preload/api.ts';
import { MISSING, errorMessage, formatDateTime, formatMs, formatShortDateTime, formatNumber, formatUptime, shortDateTimeParts } from '../../renderer/src/views/format.ts';
import { TOKEN_MASK_LENGTH, anyRunRunning, maskToken, mcpClientHint, mergeActivity, recentRuns, type JobRun } from '../../renderer/src/views/labels.ts';

test('uptime shows the two largest units', () => {
  assert.equal(formatUptime(0), '0 s');
  assert.equal(formatUptime(59.9), '59 s');
  assert.equal(formatUptime(60), '1 min 00 s');
  assert.equal(formatUptime(3_599), '59 min 59 s');
  assert.equal(formatUptime(7_260), '2 h 01 min');
  assert.equal(formatUptime(100_000), '1 d 3 h');
  assert.equal(formatUptime(undefined), MISSING);
  assert.equal(formatUptime(-1), MISSING);
});

test('latencies keep a decimal below 10 ms; missing numbers show a dash', () => {
  assert.equal(formatMs(0.42, 'en-US'), '0.4 ms');
  assert.equal(formatMs(12.6, 'en-US'), '13 ms');
  assert.equal(formatMs(undefined), MISSING);
  assert.equal(formatNumber(12_345, 0, 'en-US'), '12,345');
  assert.equal(formatNumber(Number.NaN), MISSING);
});

test('dates: null is a dash, unparseable text is shown as given', () => {
  assert.equal(formatDateTime(null), MISSING);
  assert.equal(formatDateTime('not a date'), 'not a date');
  assert.match(formatDateTime('2026-03-04T05:06:07Z', 'en-US'), /2026/);
  assert.equal(formatShortDateTime(null), MISSING);
  assert.match(formatShortDateTime('2026-03-04T05:06:07Z', 'en-US'), /^\d{1,2}\/\d{1,2}\/26, /);
  assert.equal(shortDateTimeParts(null), undefined);
  assert.equal(shortDateTimeParts('not a date'), undefined);
  const parts = shortDateTimeParts('2026-03-04T05:06:07Z', 'en-US');
  assert.match(parts?.date ?? '', /^\d{1,2}\/\d{1,2}\/26$/, 'the short date alone');
  assert.match(parts?.time ?? '', /^\d{1,2}:\d\d:07\s[AP]M$/, 'the time with seconds alone');
});

test('error messages come from Errors, strings and anything else', () => {
  assert.equal(errorMessage(Object.assign(new Error('denied'), { code: 'CAPABILITY_DENIED' })), 'denied');
  assert.equal(errorMessage('plain'), 'plain');
  assert.equal(errorMessage({ a: 1 }), '{"a":1}');
});

function entry(id: string, occurredAt: string): ActivityEntry {
  return { id, pluginId: 'p', action: 'task.created', entityType: 'task', entityId: `t-${id}`, occurredAt };
}

test('activity pages merge newest first without duplicates', () => {
  const first = mergeActivity([], [entry('3', '2026-01-01T00:00:03Z'), entry('2', '2026-01-01T00:00:02Z')]);
  const merged = mergeActivity(first, [entry('2', '2026-01-01T00:00:02Z'), entry('1', '2026-01-01T00:00:01Z'), entry('0', '2026-01-01T00:00:01Z')]);
  assert.deepEqual(merged.map((e) => e.id), ['3', '2', '1', '0']);
});

function run(runId: string, startedAt: string, status: JobRun['status'] = 'succeeded'): JobRun {
  return { runId, trigger: 'manual', scheduledAt: startedAt, startedAt, finishedAt: null, status, error: null, retryOf: null };
}

test('run history shows the newest runs first, capped', () => {
  const runs = [run('a', '2026-01-01T00:00:01Z'), run('c', '2026-01-01T00:00:03Z'), run('b', '2026-01-01T00:00:02Z')];
  assert.deepEqual(recentRuns(runs).map((r) => r.runId), ['c', 'b', 'a']);
  assert.deepEqual(recentRuns(runs, 2).map((r) => r.runId), ['c', 'b']);
});

test('the jobs view keeps refreshing only while some run is running', () => {
  const job = (runs: JobRun[]): PluginJobView => ({ jobKey: 'k', displayName: 'K', schedule: '* * * * *', nextRun: null, runs });
  assert.equal(anyRunRunning([job([run('a', 'x')])]), false);
  assert.equal(anyRunRunning([job([]), job([run('a', 'x', 'running')])]), true);
});

test('a hidden MCP token shows a fixed-length mask that leaks neither the token nor its length', () => {
  const mask = maskToken('secret-token-123');
  assert.equal(mask.length, TOKEN_MASK_LENGTH);
  assert.equal(maskToken('x'.repeat(64)), mask);
  assert.ok(!mask.includes('secret'));
  assert.equal(maskToken(null), '');
});

test('the MCP hint names the URL and the bearer header', () => {
  assert.match(mcpClientHint('http://127.0.0.1:4100/mcp'), /http:\/\/127\.0\.0\.1:4100\/mcp.*Authorization: Bearer/);
});
