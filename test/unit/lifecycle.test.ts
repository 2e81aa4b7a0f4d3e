import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LifecycleState, RuntimeState } from '../../preload/api.ts';
import {
  allowedEvents, canTransition, configFailure, isRuntimeFailure, isServing, LIFECYCLE_EVENTS, LIFECYCLE_STATES, reconcileRuntime, transition,
  type LifecycleEvent,
} from '../../main/host/lifecycle.ts';

/**
 * The lifecycle rules written out independently of the module's table (CONTRACT §9),
 * so a change to the table has to be made here too, on purpose.
 */
const EXPECTED = `
  installed        configure        installed
  installed        enable           ready
  installed        disable          disabled
  installed        fail             error
  installed        uninstall        uninstalled
  ready            configure        ready
  ready            disable          disabled
  ready            require_config   installed
  ready            fail             error
  ready            request_upgrade  upgrade_pending
  ready            uninstall        uninstalled
  disabled         configure        disabled
  disabled         enable           ready
  disabled         require_config   installed
  disabled         fail             error
  disabled         uninstall        uninstalled
  error            configure        error
  error            enable           ready
  error            disable          disabled
  error            require_config   installed
  error            fail             error
  error            recover          installed
  error            uninstall        uninstalled
  upgrade_pending  configure        upgrade_pending
  upgrade_pending  disable          disabled
  upgrade_pending  fail             error
  upgrade_pending  request_upgrade  upgrade_pending
  upgrade_pending  approve_upgrade  ready
  upgrade_pending  decline_upgrade  ready
  upgrade_pending  uninstall        uninstalled
  uninstalled      restore          disabled
`.trim().split('\n').map((line) => line.trim().split(/\s+/) as [LifecycleState, LifecycleEvent, LifecycleState]);

const expectedTarget = new Map(EXPECTED.map(([from, event, to]) => [`${from} ${event}`, to]));

test('every allowed transition leads where the lifecycle rules say', () => {
  for (const [from, event, to] of EXPECTED) {
    assert.equal(transition(from, event), to, `${from} --${event}--> ${to}`);
    assert.equal(canTransition(from, event), true);
  }
});

test('every (state, event) pair outside the rules is refused with CONFLICT naming the event and the state', () => {
  let refused = 0;
  for (const from of LIFECYCLE_STATES) {
    for (const event of LIFECYCLE_EVENTS) {
      if (expectedTarget.has(`${from} ${event}`)) continue;
      refused++;
      assert.equal(canTransition(from, event), false, `${from} + ${event} must be refused`);
      assert.throws(() => transition(from, event), (error: unknown) => {
        const e = error as { code: string; message: string; data: unknown };
        assert.equal(e.code, 'CONFLICT');
        assert.match(e.message, new RegExp(`^Cannot .+ a plugin that is ${from}$`));
        assert.deepEqual(e.data, { state: from, event });
        return true;
      });
    }
  }
  assert.equal(refused, LIFECYCLE_STATES.length * LIFECYCLE_EVENTS.length - EXPECTED.length);
});

test('refusals read as sentences a user understands', () => {
  assert.throws(() => transition('uninstalled', 'enable'), { code: 'CONFLICT', message: 'Cannot enable a plugin that is uninstalled' });
  assert.throws(() => transition('ready', 'enable'), { code: 'CONFLICT', message: 'Cannot enable a plugin that is ready' });
  assert.throws(() => transition('disabled', 'disable'), { code: 'CONFLICT', message: 'Cannot disable a plugin that is disabled' });
  assert.throws(() => transition('ready', 'approve_upgrade'), { code: 'CONFLICT', message: 'Cannot approve an upgrade of a plugin that is ready' });
  assert.throws(() => transition('disabled', 'request_upgrade'), { code: 'CONFLICT', message: 'Cannot request an upgrade of a plugin that is disabled' });
  assert.throws(() => transition('ready', 'restore'), { code: 'CONFLICT', message: 'Cannot restore a plugin that is ready' });
});

test('an unknown state or event (e.g. a corrupt registry row) is INVALID_INPUT naming it', () => {
  assert.throws(() => transition('running' as LifecycleState, 'enable'), { code: 'INVALID_INPUT', message: /Unknown lifecycle state "running"/ });
  assert.throws(() => transition('ready', 'start' as LifecycleEvent), { code: 'INVALID_INPUT', message: /Unknown lifecycle event "start"/ });
  assert.throws(() => transition('ready', 'toString' as LifecycleEvent), { code: 'INVALID_INPUT' });
  assert.equal(canTransition('constructor' as LifecycleState, 'enable'), false);
  assert.equal(canTransition('ready', 'hasOwnProperty' as LifecycleEvent), false);
});

test('the machine keeps the promises of CONTRACT §9', () => {
  const reachable = (start: LifecycleState): Set<LifecycleState> => {
    const seen = new Set<LifecycleState>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const from = queue.shift()!;
      for (const event of allowedEvents(from)) {
        const to = transition(from, event);
        if (!seen.has(to)) { seen.add(to); queue.push(to); }
      }
    }
    return seen;
  };
  assert.deepEqual([...reachable('installed')].sort(), [...LIFECYCLE_STATES].sort(), 'every state is reachable from installed');
  for (const state of LIFECYCLE_STATES) {
    assert.ok(reachable(state).has('ready'), `${state} is not a dead end: ready is reachable`);
    if (state === 'uninstalled') continue;
    assert.equal(transition(state, 'uninstall'), 'uninstalled', `any → uninstalled (${state})`);
    assert.equal(transition(state, 'fail'), 'error', `any → error (${state})`);
  }
  assert.equal(transition('ready', 'request_upgrade'), 'upgrade_pending', 'only ready asks for an upgrade approval');
  assert.equal(transition(transition('ready', 'disable'), 'enable'), 'ready', 'ready ⇄ disabled');
  assert.equal(transition('uninstalled', 'restore'), 'disabled', 'a restored plugin runs nothing until enabled again');
});

test('allowedEvents lists exactly the events the table accepts', () => {
  assert.deepEqual(allowedEvents('uninstalled'), ['restore']);
  assert.deepEqual(allowedEvents('upgrade_pending'), ['configure', 'disable', 'fail', 'request_upgrade', 'approve_upgrade', 'decline_upgrade', 'uninstall']);
});

test('only ready and upgrade_pending serve (the old version keeps running while an upgrade waits)', () => {
  assert.deepEqual(LIFECYCLE_STATES.filter(isServing), ['ready', 'upgrade_pending']);
});

test('the UI never shows a serving plugin ready whose worker cannot answer', () => {
  const cases: Array<[LifecycleState, RuntimeState, string | undefined, ReturnType<typeof reconcileRuntime>]> = [
    ['ready', 'running', undefined, { shown: 'ready', consistent: true, action: 'none' }],
    ['ready', 'starting', undefined, { shown: 'ready', consistent: true, action: 'none' }],
    ['ready', 'stopped', undefined, { shown: 'ready', consistent: true, action: 'none' }],
    ['ready', 'crashed', 'The worker exited with code 1', { shown: 'error', problem: 'The worker crashed: The worker exited with code 1', consistent: false, action: 'none' }],
    ['ready', 'crashed', undefined, { shown: 'error', problem: 'The worker crashed', consistent: false, action: 'none' }],
    ['ready', 'backoff', 'killed by SIGKILL', { shown: 'error', problem: 'The worker is restarting after a crash: killed by SIGKILL', consistent: false, action: 'none' }],
    ['upgrade_pending', 'running', undefined, { shown: 'upgrade_pending', consistent: true, action: 'none' }],
    ['upgrade_pending', 'crashed', 'boom', { shown: 'error', problem: 'The worker crashed: boom', consistent: false, action: 'none' }],
  ];
  for (const [lifecycle, state, lastError, expected] of cases) {
    assert.deepEqual(reconcileRuntime(lifecycle, { state, ...(lastError ? { lastError } : {}) }), expected, `${lifecycle} + ${state}`);
  }
});

test('a worker alive in a non-serving state is stale and must be stopped', () => {
  for (const lifecycle of LIFECYCLE_STATES.filter((s) => !isServing(s))) {
    for (const state of ['starting', 'running', 'backoff'] as const) {
      assert.deepEqual(reconcileRuntime(lifecycle, { state }), { shown: lifecycle, consistent: false, action: 'stop_worker' }, `${lifecycle} + ${state}`);
    }
    for (const state of ['stopped', 'crashed'] as const) {
      assert.deepEqual(reconcileRuntime(lifecycle, { state, lastError: 'old' }), { shown: lifecycle, consistent: true, action: 'none' }, `${lifecycle} + ${state}`);
    }
  }
});

test('a setup failure and a crash loop are runtime failures; a manifest or configuration problem is not, whatever its words', () => {
  assert.equal(isRuntimeFailure({ kind: 'setup', message: 'Setup failed: boom' }), true);
  assert.equal(isRuntimeFailure({ kind: 'crash_loop', message: 'crash loop' }), true);
  assert.equal(isRuntimeFailure({ kind: 'manifest', message: 'Setup failed: a manifest that says so' }), false);
  assert.equal(isRuntimeFailure(configFailure('token is required')), false);
  assert.deepEqual(configFailure('token is required'), { kind: 'config', message: 'Needs configuration: token is required' });
  assert.equal(isRuntimeFailure(null), false);
});
