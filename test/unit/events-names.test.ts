import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationEventMatches, eventPatternMatches, readCapabilityFor } from '../../main/host/services/events/index.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';

test('a `.*` pattern matches names under its prefix only', () => {
  assert.equal(eventPatternMatches('task.*', 'task.created'), true);
  assert.equal(eventPatternMatches('task.*', 'task'), false);
  assert.equal(eventPatternMatches('task.*', 'tasks.created'), false);
  assert.equal(eventPatternMatches('plugin.@acme/sync.*', 'plugin.@acme/sync.done'), true);
  assert.equal(eventPatternMatches('task.created', 'task.created'), true);
  assert.equal(eventPatternMatches('task.created', 'task.created.x'), false);
});

test('onEvent:<name> activation events start a worker for matching events only', () => {
  const activation = ['onStartup', 'onEvent:task.created', 'onEvent:plugin.acme-x.*', 'onEvent:*', 'onEvent:'];
  assert.equal(activationEventMatches(activation, 'task.created'), true);
  assert.equal(activationEventMatches(activation, 'task.updated'), false);
  assert.equal(activationEventMatches(activation, 'plugin.acme-x.sync-done'), true);
  assert.equal(activationEventMatches(activation, 'plugin.acme-xy.sync-done'), false);
  assert.equal(activationEventMatches(['onStartup'], 'task.created'), false, 'onStartup is not an event match');
  assert.equal(activationEventMatches(['onEvent:task.*'], 'task.deleted'), true);
});

test('the read capability of each event entity type (CONTRACT §3); unknown types fail closed', () => {
  assert.equal(readCapabilityFor('project'), 'projects.read');
  assert.equal(readCapabilityFor('task'), 'tasks.read');
  assert.equal(readCapabilityFor('comment'), 'comments.read');
  assert.equal(readCapabilityFor('plugin'), null);
  assert.throws(() => readCapabilityFor('secret'), (error) => hasCode(error, 'INTERNAL'));
  assert.throws(() => readCapabilityFor('toString'), (error) => hasCode(error, 'INTERNAL'));
});
