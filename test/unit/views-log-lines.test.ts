// The plugin log viewer: tailing, filtering and what Copy puts on the clipboard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PluginLogLine } from '../../preload/api.ts';
import { appendLogLines, filterLogLines, formatLogLine, lastSeqOf, logLinesToText } from '../../renderer/src/views/log-lines.ts';
import { formatClock } from '../../renderer/src/views/format.ts';

const TIME = '2026-01-02T03:04:05.006Z';
function line(seq: number, extra: Partial<PluginLogLine> = {}): PluginLogLine {
  return { seq, time: TIME, level: 'info', source: 'logger', message: `line ${seq}`, ...extra };
}
const seqs = (lines: readonly PluginLogLine[]) => lines.map((l) => l.seq);

test('polled lines append in seq order, and an overlapping poll adds nothing twice', () => {
  let lines = appendLogLines([], [line(2), line(1)]);
  assert.deepEqual(seqs(lines), [1, 2]);
  lines = appendLogLines(lines, [line(2), line(3), line(4)]);
  assert.deepEqual(seqs(lines), [1, 2, 3, 4]);
  assert.equal(lastSeqOf(lines), 4);
  assert.equal(lastSeqOf([]), undefined);
});

test('a poll with nothing new returns the same array, so the view does not re-render', () => {
  const lines = appendLogLines([], [line(1)]);
  assert.equal(appendLogLines(lines, []), lines);
  assert.equal(appendLogLines(lines, [line(1)]), lines);
});

test('the viewer keeps only the newest lines past its cap', () => {
  const first = appendLogLines([], Array.from({ length: 8 }, (_, i) => line(i + 1)), 5);
  assert.deepEqual(seqs(first), [4, 5, 6, 7, 8]);
  assert.deepEqual(seqs(appendLogLines(first, [line(9), line(10)], 5)), [6, 7, 8, 9, 10]);
});

test('the level filter shows the chosen level and everything more severe', () => {
  const lines = [line(1, { level: 'debug' }), line(2, { level: 'info' }), line(3, { level: 'warn' }), line(4, { level: 'error' })];
  assert.deepEqual(seqs(filterLogLines(lines, { minLevel: 'debug', text: '' })), [1, 2, 3, 4]);
  assert.deepEqual(seqs(filterLogLines(lines, { minLevel: 'warn', text: '' })), [3, 4]);
  assert.deepEqual(seqs(filterLogLines(lines, { minLevel: 'error', text: '' })), [4]);
});

test('the text filter ignores case and matches message, source and data', () => {
  const lines = [
    line(1, { message: 'Connected to GitHub' }),
    line(2, { source: 'stderr', message: 'oops' }),
    line(3, { message: 'sync done', data: { repo: 'acme/Widgets' } }),
  ];
  assert.deepEqual(seqs(filterLogLines(lines, { minLevel: 'debug', text: 'github' })), [1]);
  assert.deepEqual(seqs(filterLogLines(lines, { minLevel: 'debug', text: 'STDERR' })), [2]);
  assert.deepEqual(seqs(filterLogLines(lines, { minLevel: 'debug', text: ' widgets ' })), [3]);
  assert.deepEqual(seqs(filterLogLines(lines, { minLevel: 'warn', text: 'github' })), []);
});

test('copied text has one line per log line with time, level, source, message and data JSON', () => {
  const clock = formatClock(TIME);
  assert.match(clock, /^\d\d:\d\d:\d\d\.006$/);
  assert.equal(formatLogLine(line(1, { level: 'warn', source: 'stderr', message: 'low disk' })), `${clock} WARN  stderr low disk`);
  assert.equal(formatLogLine(line(2, { data: { n: 1, ok: true } })), `${clock} INFO  logger line 2 {"n":1,"ok":true}`);
  assert.equal(logLinesToText([line(1), line(2)]), `${clock} INFO  logger line 1\n${clock} INFO  logger line 2\n`);
  assert.equal(logLinesToText([]), '');
});
