import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/host/db/database.ts';
import { createJobScheduler } from '../../main/host/services/jobs/job-scheduler.ts';
import type { JobRun } from '../../sdk/protocol/rpc.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';
import { MIGRATIONS } from '../../main/host/db/migrations/index.ts';

const PLUGIN = '@acme/kanban-overview';
const SYNC = { jobKey: 'sync', displayName: 'Sync', schedule: '*/15 * * * *' };

/** A deferred promise: the test decides when a job handler finishes. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

function setup(t: TestContext, runJob: (pluginId: string, run: JobRun) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-jobs-'));
  const db = openDatabase(join(dir, 'plinth.db'));
  const scheduler = createJobScheduler({ db, runJob });
  t.after(() => { scheduler.stop(); db.close(); rmSync(dir, { recursive: true, force: true }); });
  return { db, scheduler, dir };
}

test('a scheduled tick runs the job in the worker and records a succeeded run', async (t) => {
  const runs: Array<{ pluginId: string; run: JobRun }> = [];
  const { scheduler } = setup(t, async (pluginId, run) => { runs.push({ pluginId, run }); });
  scheduler.schedule(PLUGIN, [SYNC]);
  const scheduledAt = new Date('2030-01-01T10:15:00.000Z');
  const record = await scheduler.tick(PLUGIN, 'sync', scheduledAt);
  assert.equal(record.status, 'succeeded');
  assert.equal(record.trigger, 'schedule');
  assert.equal(record.scheduledAt, '2030-01-01T10:15:00.000Z');
  assert.ok(record.finishedAt);
  assert.deepEqual(runs, [{ pluginId: PLUGIN, run: { jobKey: 'sync', runId: record.runId, trigger: 'schedule', scheduledAt: record.scheduledAt } }]);
  assert.deepEqual(scheduler.history(PLUGIN, 'sync'), [record]);
});

test('a thrown error fails the run with its message and nothing retries', async (t) => {
  let calls = 0;
  const { scheduler } = setup(t, async () => { calls++; throw new Error('GitHub said 500'); });
  scheduler.schedule(PLUGIN, [SYNC]);
  const record = await scheduler.runNow(PLUGIN, 'sync');
  assert.equal(record.status, 'failed');
  assert.equal(record.error, 'GitHub said 500');
  assert.equal(record.trigger, 'manual');
  assert.equal(calls, 1);
  assert.equal(scheduler.history(PLUGIN).length, 1);
});

test('an overlapping tick and a Run now while running are recorded as skipped with the reason', async (t) => {
  const gate = deferred();
  let calls = 0;
  const { scheduler } = setup(t, async () => { calls++; await gate.promise; });
  scheduler.schedule(PLUGIN, [SYNC]);
  const first = scheduler.tick(PLUGIN, 'sync', new Date('2030-01-01T10:00:00Z'));
  const overlapping = await scheduler.tick(PLUGIN, 'sync', new Date('2030-01-01T10:15:00Z'));
  const manual = await scheduler.runNow(PLUGIN, 'sync');
  assert.equal(overlapping.status, 'skipped');
  assert.match(overlapping.error ?? '', /previous run .* still in progress/);
  assert.equal(manual.status, 'skipped');
  assert.equal(manual.trigger, 'manual');
  assert.equal(scheduler.history(PLUGIN, 'sync')[0]?.status, 'skipped');
  assert.ok(scheduler.history(PLUGIN, 'sync').some((run) => run.status === 'running'));
  gate.resolve();
  const done = await first;
  assert.equal(done.status, 'succeeded');
  assert.equal(calls, 1);
  // Once the run is over, the next tick runs again.
  assert.equal((await scheduler.tick(PLUGIN, 'sync', new Date('2030-01-01T10:30:00Z'))).status, 'succeeded');
  assert.deepEqual(scheduler.history(PLUGIN, 'sync').map((run) => run.status), ['succeeded', 'skipped', 'skipped', 'succeeded']);
});

test('an invalid cron expression is refused naming the job key and the expression, and changes nothing', (t) => {
  const { scheduler } = setup(t, async () => {});
  scheduler.schedule(PLUGIN, [SYNC]);
  assert.throws(
    () => scheduler.schedule(PLUGIN, [SYNC, { jobKey: 'nightly', displayName: 'Nightly', schedule: '61 * * * *' }]),
    (error: Error) => hasCode(error, 'INVALID_INPUT') && /"nightly"/.test(error.message) && /"61 \* \* \* \*"/.test(error.message),
  );
  assert.throws(() => scheduler.schedule(PLUGIN, [{ ...SYNC, schedule: 'every day' }]), (error: Error) => hasCode(error, 'INVALID_INPUT'));
  assert.throws(() => scheduler.schedule(PLUGIN, [SYNC, SYNC]), /declared twice/);
  assert.ok(scheduler.nextRun(PLUGIN, 'sync') instanceof Date, 'the previous schedule is still in place');
});

test('runNow on an unknown job or plugin is NOT_FOUND; unscheduled jobs cannot run', async (t) => {
  const { scheduler } = setup(t, async () => {});
  scheduler.schedule(PLUGIN, [SYNC]);
  await assert.rejects(scheduler.runNow(PLUGIN, 'nope'), (error: Error) => hasCode(error, 'NOT_FOUND') && /"nope"/.test(error.message));
  await assert.rejects(scheduler.runNow('@other/plugin', 'sync'), (error: Error) => hasCode(error, 'NOT_FOUND'));
  scheduler.unschedule(PLUGIN);
  assert.equal(scheduler.nextRun(PLUGIN, 'sync'), null);
  await assert.rejects(scheduler.runNow(PLUGIN, 'sync'), (error: Error) => hasCode(error, 'NOT_FOUND'));
});

test('history is newest first, per job, bounded by limit', async (t) => {
  const { scheduler } = setup(t, async () => {});
  scheduler.schedule(PLUGIN, [SYNC, { jobKey: 'other', displayName: 'Other', schedule: '0 * * * *' }]);
  await scheduler.tick(PLUGIN, 'sync', new Date('2030-01-01T10:00:00Z'));
  await scheduler.tick(PLUGIN, 'other', new Date('2030-01-01T10:00:00Z'));
  const last = await scheduler.tick(PLUGIN, 'sync', new Date('2030-01-01T10:15:00Z'));
  assert.equal(scheduler.history(PLUGIN).length, 3);
  assert.deepEqual(scheduler.history(PLUGIN, 'sync', 1), [last]);
  assert.throws(() => scheduler.history(PLUGIN, 'sync', 0), (error: Error) => hasCode(error, 'INVALID_INPUT'));
});

test('a run left running by a stopped host is marked failed at the next start', async (t) => {
  const gate = deferred();
  const dir = mkdtempSync(join(tmpdir(), 'plinth-jobs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'plinth.db');
  const db = openDatabase(file);
  const first = createJobScheduler({ db, runJob: () => gate.promise });
  first.schedule(PLUGIN, [SYNC]);
  const pending = first.runNow(PLUGIN, 'sync');
  first.stop();
  db.close();

  const db2 = openDatabase(file);
  t.after(() => db2.close());
  const second = createJobScheduler({ db: db2, runJob: async () => {} });
  const [run] = second.history(PLUGIN, 'sync');
  assert.equal(run?.status, 'failed');
  assert.match(run?.error ?? '', /stopped while this run was in progress/);
  gate.resolve();
  // The first scheduler's run settles against a closed database without crashing.
  assert.equal((await pending).status, 'succeeded');
});

test('a real croner schedule fires: a every-second job runs by itself', async (t) => {
  const ran = deferred<JobRun>();
  const { scheduler } = setup(t, async (_pluginId, run) => { ran.resolve(run); });
  scheduler.schedule(PLUGIN, [{ jobKey: 'tick', displayName: 'Tick', schedule: '* * * * * *' }]);
  const run = await ran.promise;
  assert.equal(run.jobKey, 'tick');
  assert.equal(run.trigger, 'schedule');
  assert.equal(new Date(run.scheduledAt).getMilliseconds(), 0, 'scheduledAt is the cron time, a whole second');
  scheduler.unschedule(PLUGIN);
});

test('retrying a failed run starts a new run with trigger retry and the failed run\'s scheduledAt, and records both', async (t) => {
  const runs: JobRun[] = [];
  let fail = true;
  const { scheduler } = setup(t, async (_pluginId, run) => {
    runs.push(run);
    if (fail) throw new Error('GitHub said 500');
  });
  scheduler.schedule(PLUGIN, [SYNC]);
  const failed = await scheduler.tick(PLUGIN, 'sync', new Date('2030-01-01T10:15:00.000Z'));
  assert.equal(failed.status, 'failed');
  assert.equal(failed.retryOf, null);

  fail = false;
  const retried = await scheduler.retry(PLUGIN, failed.runId);
  assert.equal(retried.status, 'succeeded');
  assert.equal(retried.trigger, 'retry');
  assert.equal(retried.retryOf, failed.runId);
  assert.equal(retried.scheduledAt, '2030-01-01T10:15:00.000Z', 'a retry redoes the slot the failed run was scheduled for');
  assert.notEqual(retried.runId, failed.runId);
  assert.deepEqual(runs.at(-1), { jobKey: 'sync', runId: retried.runId, trigger: 'retry', scheduledAt: '2030-01-01T10:15:00.000Z' });
  assert.deepEqual(scheduler.history(PLUGIN, 'sync').map((r) => [r.trigger, r.status]), [['retry', 'succeeded'], ['schedule', 'failed']]);
});

test('only a failed run of the plugin can be retried, with errors that say why', async (t) => {
  const { scheduler } = setup(t, async () => {});
  scheduler.schedule(PLUGIN, [SYNC]);
  const ok = await scheduler.runNow(PLUGIN, 'sync');
  await assert.rejects(scheduler.retry(PLUGIN, ok.runId), (e: Error) => hasCode(e, 'CONFLICT') && /only a failed run/.test(e.message));
  await assert.rejects(scheduler.retry(PLUGIN, 'no-such-run'), (e: Error) => hasCode(e, 'NOT_FOUND'));
  await assert.rejects(scheduler.retry('@acme/other', ok.runId), (e: Error) => hasCode(e, 'NOT_FOUND'), 'another plugin\'s run is not found');
  assert.equal(scheduler.history(PLUGIN).length, 1, 'a refused retry records nothing');
});

test('a retry while a run of the job is in flight is recorded as skipped', async (t) => {
  const gate = deferred();
  let calls = 0;
  const { scheduler } = setup(t, async () => { calls++; if (calls === 1) throw new Error('first failed'); await gate.promise; });
  scheduler.schedule(PLUGIN, [SYNC]);
  const failed = await scheduler.runNow(PLUGIN, 'sync');
  const running = scheduler.runNow(PLUGIN, 'sync');
  const skipped = await scheduler.retry(PLUGIN, failed.runId);
  assert.equal(skipped.status, 'skipped');
  assert.equal(skipped.trigger, 'retry');
  assert.equal(skipped.retryOf, failed.runId);
  gate.resolve();
  assert.equal((await running).status, 'succeeded');
  assert.equal(calls, 2);
});

test('runs recorded before the retry migration keep their rows and read with retryOf null', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-jobs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'plinth.db');
  const before = MIGRATIONS.filter((m) => m.version < 8);
  const old = openDatabase(file, before);
  old.prepare(`INSERT INTO job_runs (run_id, plugin_id, job_key, trigger, scheduled_at, started_at, finished_at, status, error)
    VALUES ('r1', ?, 'sync', 'manual', '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:01.000Z', 'failed', 'x')`).run(PLUGIN);
  old.close();
  const db = openDatabase(file);
  t.after(() => db.close());
  const scheduler = createJobScheduler({ db, runJob: async () => {} });
  t.after(() => scheduler.stop());
  assert.deepEqual(scheduler.history(PLUGIN).map((r) => [r.runId, r.status, r.retryOf]), [['r1', 'failed', null]]);
});
