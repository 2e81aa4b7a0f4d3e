import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  cpuPercentBetween, measureProcess, parseProcStat, parseVmRss, readProcessSample,
} from '../../main/host/supervision/process-stats.ts';

const linux = process.platform === 'linux';

test('stat lines are parsed after the last parenthesis, whatever the command name holds', () => {
  const rest = 'S 1 2 3 4 5 6 7 8 9 10 1234 567 0 0 20 0 1 0 100 1000 50';
  assert.deepEqual(parseProcStat(`42 (node) ${rest}`), { utimeTicks: 1234, stimeTicks: 567 });
  assert.deepEqual(parseProcStat(`42 (a) (b c) ) ${rest}`), { utimeTicks: 1234, stimeTicks: 567 });
  assert.throws(() => parseProcStat('garbage'), /stat line/);
  assert.throws(() => parseProcStat('42 (x) S 1 2'), /stat line/);
});

test('VmRSS is read in kB and returned in bytes; absent means null', () => {
  assert.equal(parseVmRss('Name:\tnode\nVmRSS:\t   51200 kB\nThreads:\t7\n'), 51_200 * 1024);
  assert.equal(parseVmRss('Name:\tkthreadd\nThreads:\t1\n'), null);
});

test('CPU % is CPU time over wall time, of one core', () => {
  assert.equal(cpuPercentBetween({ cpuSeconds: 1, rssBytes: 0, at: 0 }, { cpuSeconds: 1.5, rssBytes: 0, at: 1_000 }), 50);
  assert.equal(cpuPercentBetween({ cpuSeconds: 1, rssBytes: 0, at: 0 }, { cpuSeconds: 3, rssBytes: 0, at: 1_000 }), 200, 'two busy cores');
  assert.equal(cpuPercentBetween({ cpuSeconds: 1, rssBytes: 0, at: 5 }, { cpuSeconds: 1, rssBytes: 0, at: 5 }), 0);
});

test('a process that does not exist, or a bad pid, measures as nulls without throwing', async () => {
  assert.deepEqual(await measureProcess(2 ** 22 + 12345, { sampleMs: 1 }), { rssBytes: null, cpuPercent: null });
  assert.equal(await readProcessSample(-1), null);
  assert.equal(await readProcessSample(1.5), null);
});

test('RSS and CPU of a real process match what Node reports about itself', { skip: !linux && '/proc exists only on Linux' }, async () => {
  const before = await readProcessSample(process.pid);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const until = performance.now() + 300;
  let spin = 0;
  while (performance.now() < until) spin++; // keep this process busy on one core
  const after = await readProcessSample(process.pid);
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  assert.ok(before && after && spin > 0);
  const expected = ((cpu.user + cpu.system) / 1000 / wall) * 100;
  // /proc counts in 10 ms ticks: over 300 ms the two readings differ by a few percent at most.
  assert.ok(Math.abs(cpuPercentBetween(before, after) - expected) < 15, `measured ${cpuPercentBetween(before, after)} vs ${expected}`);
  const rss = process.memoryUsage.rss();
  assert.ok(Math.abs(after.rssBytes - rss) < rss * 0.25, `rss ${after.rssBytes} vs ${rss}`);
});

test('measureProcess reports a child process (as the Running plugins view does)', { skip: !linux && '/proc exists only on Linux' }, async (t) => {
  const child = spawn(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => child.kill('SIGKILL'));
  await once(child.stdout, 'data'); // Node is running, not just forked
  assert.ok(child.pid);
  const stats = await measureProcess(child.pid, { sampleMs: 50 });
  assert.ok(stats.rssBytes !== null && stats.rssBytes > 5 * 1024 * 1024, `a Node process has more than 5 MB resident: ${stats.rssBytes}`);
  assert.ok(stats.cpuPercent !== null && stats.cpuPercent >= 0);
});
