import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCode } from '../../sdk/protocol/errors.ts';
import { waitForPidGone } from '../support/plugin-folders.ts';
import { startFixture } from './worker-harness.ts';

test('events subscribed and jobs registered in setup reach the host and are served by the worker', async (t) => {
  const { handle, host } = await startFixture(t, 'worker-events', { capabilities: ['events.subscribe', 'jobs.schedule', 'plugin.state.write'] });
  const ready = await handle.start();
  assert.deepEqual(ready.jobs, ['sync']);

  const subscribe = host.calls.find((c) => c.method === 'events.subscribe');
  assert.ok(subscribe, 'the subscription reached the host');
  const [subscriptionId, name, filter] = subscribe.args as [string, string, unknown];
  assert.equal(name, 'task.created');
  assert.deepEqual(filter, { projectId: 'p1' });
  assert.deepEqual(host.calls.find((c) => c.method === 'jobs.register')?.args, ['sync']);

  await handle.call('event.deliver', subscriptionId, {
    eventId: 'e1', name: 'task.created', occurredAt: new Date().toISOString(), entityType: 'task', entityId: 't42', projectId: 'p1', payload: {},
  });
  assert.equal(host.stateValue({ scopeKind: 'instance', stateKey: 'lastEvent' }), 't42');

  // A batch: handled one after another in order; a throwing handler fails only its own event.
  const taskEvent = (entityId: string) => ({
    eventId: `e-${entityId}`, name: 'task.created', occurredAt: new Date().toISOString(), entityType: 'task', entityId, projectId: 'p1', payload: {},
  });
  const batch = await handle.call('event.deliverBatch', subscriptionId, [taskEvent('t1'), taskEvent('boom'), taskEvent('t3')]);
  assert.deepEqual(batch, { failed: [{ index: 1, message: 'boom event' }] });
  assert.equal(host.stateValue({ scopeKind: 'instance', stateKey: 'lastEvent' }), 't3');

  await handle.call('job.run', { jobKey: 'sync', runId: 'run-7', trigger: 'manual', scheduledAt: new Date().toISOString() });
  assert.equal(host.stateValue({ scopeKind: 'instance', stateKey: 'lastRun' }), 'run-7');

  await assert.rejects(handle.call('job.run', { jobKey: 'other', runId: 'r', trigger: 'manual', scheduledAt: '' }), (e: Error) =>
    hasCode(e, 'NOT_FOUND') && e.message.includes('"other"'));
});

test('a subscription the host refuses during setup fails start with CAPABILITY_DENIED naming the capability', async (t) => {
  const { handle, pids } = await startFixture(t, 'worker-events', { capabilities: ['jobs.schedule', 'plugin.state.write'] });
  await assert.rejects(handle.start(), (e: Error) => hasCode(e, 'CAPABILITY_DENIED') && e.message.includes('"events.subscribe"'));
  await waitForPidGone(pids[0]!);
});
