import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createPluginLogFile, LOG_FILE_COUNT, LOG_FILE_MAX_BYTES } from '../../main/host/log-file.ts';
import type { LogLine } from '../../main/host/logs.ts';
import { createTempDir, type AfterHook } from '../support/plugin-folders.ts';

function logDir(t: AfterHook): string {
  return join(createTempDir(t, 'plinth-logs-'), 'logs'); // not created yet: the module creates it
}

const line = (seq: number, over: Partial<LogLine> = {}): LogLine => ({
  seq, time: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(), level: 'info', source: 'stdout', message: `line ${seq} ${'x'.repeat(80)}`, ...over,
});

const readLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

test('the limits are 5 MiB × 3 files per plugin', () => {
  assert.equal(LOG_FILE_MAX_BYTES, 5 * 1024 * 1024);
  assert.equal(LOG_FILE_COUNT, 3);
});

test('each line is one JSON object with level, plugin, time, sequence, source, message and data', async (t) => {
  const dir = logDir(t);
  const logs = createPluginLogFile(dir);
  logs.write('@acme/kanban', line(1, { level: 'debug', source: 'logger', message: 'starting\nwith a newline', data: { n: 1 } }));
  logs.write('@acme/kanban', line(2, { level: 'error', source: 'stderr', message: 'boom' }));
  logs.write('plinth-hello', line(3, { level: 'warn', source: 'host' }));
  await logs.close();

  assert.equal(logs.pathOf('@acme/kanban'), join(dir, 'acme__kanban.log'));
  assert.deepEqual(readLines(logs.pathOf('@acme/kanban')), [
    { level: 'debug', pluginId: '@acme/kanban', time: '2025-01-01T00:00:01.000Z', seq: 1, source: 'logger', data: { n: 1 }, msg: 'starting\nwith a newline' },
    { level: 'error', pluginId: '@acme/kanban', time: '2025-01-01T00:00:02.000Z', seq: 2, source: 'stderr', msg: 'boom' },
  ]);
  assert.deepEqual(readLines(logs.pathOf('plinth-hello')).map((l) => [l.pluginId, l.level, l.seq]), [['plinth-hello', 'warn', 3]], 'one file per plugin');
});

test('files rotate by size: at most maxFiles files, none past maxBytes, newest lines kept in order', async (t) => {
  const dir = logDir(t);
  const maxBytes = 2_000;
  const logs = createPluginLogFile(dir, { maxBytes, maxFiles: 3 });
  for (let seq = 1; seq <= 100; seq++) logs.write('chatty', line(seq));
  await logs.close();

  assert.deepEqual(readdirSync(dir).sort(), ['chatty.log', 'chatty.log.1', 'chatty.log.2']);
  const files = ['chatty.log.2', 'chatty.log.1', 'chatty.log'].map((f) => join(dir, f));
  for (const file of files) assert.ok(statSync(file).size <= maxBytes, `${file} is ${statSync(file).size} bytes`);
  const seqs = files.flatMap((f) => readLines(f).map((l) => l.seq as number));
  assert.equal(seqs.at(-1), 100, 'the newest line is at the end of chatty.log');
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => 100 - seqs.length + 1 + i), 'oldest → newest without gaps or duplicates');
  assert.ok(seqs.length < 100 && seqs.length >= 20, `older lines were dropped (${seqs.length} kept)`);
  for (const file of files.slice(0, 2)) assert.ok(statSync(file).size > maxBytes / 2, 'rotated files were filled, not rotated early');
});

test('a new run appends to the existing file and rotates counting what it found', async (t) => {
  const dir = logDir(t);
  const first = createPluginLogFile(dir, { maxBytes: 1_000 });
  for (let seq = 1; seq <= 5; seq++) first.write('p', line(seq));
  await first.close();
  const before = statSync(join(dir, 'p.log')).size;
  assert.ok(before > 500 && before <= 1_000);

  const second = createPluginLogFile(dir, { maxBytes: 1_000 });
  for (let seq = 6; seq <= 9; seq++) second.write('p', line(seq));
  await second.close();
  const kept = [...readLines(join(dir, 'p.log.1')), ...readLines(join(dir, 'p.log'))].map((l) => l.seq);
  assert.deepEqual(kept, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(statSync(join(dir, 'p.log')).size <= 1_000 && statSync(join(dir, 'p.log.1')).size <= 1_000);
});

test('plugin ids never lead outside the log folder', (t) => {
  const dir = logDir(t);
  const logs = createPluginLogFile(dir);
  for (const id of ['../../etc/passwd', '..', '.', '', 'a b (c:\\d)', '@scope/name']) {
    const path = logs.pathOf(id);
    assert.equal(dirname(path), dir, id);
    assert.ok(!['..', '.'].includes(path.slice(dir.length + 1).replace(/\.log$/, '')), id);
  }
  assert.notEqual(logs.pathOf('a/b'), logs.pathOf('a_b'));
});

test('writes after close are ignored; a folder that cannot be created is reported, not thrown', async (t) => {
  const dir = logDir(t);
  const logs = createPluginLogFile(dir);
  await logs.close();
  logs.write('late', line(1));
  await logs.close();
  assert.equal(existsSync(logs.pathOf('late')), false);

  const blocker = join(dirname(dir), 'not-a-folder');
  writeFileSync(blocker, 'a file where the log folder should be');
  let reported!: (e: { pluginId: string; error: Error }) => void;
  const failure = new Promise<{ pluginId: string; error: Error }>((r) => { reported = r; });
  const broken = createPluginLogFile(join(blocker, 'logs'), { onError: (pluginId, error) => reported({ pluginId, error }) });
  broken.write('p', line(1));
  const { pluginId, error } = await failure;
  assert.equal(pluginId, 'p');
  assert.match(error.message, /ENOTDIR|EEXIST/);
  broken.write('p', line(2)); // dropped quietly
  await broken.close();
});
