import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RuntimeState } from '../../sdk/protocol/lifecycle.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';
import { nextRuntimeState, RUNTIME_EVENTS, runtimeTarget, type RuntimeEvent } from '../../main/host/supervision/runtime-states.ts';

const STATES: RuntimeState[] = ['stopped', 'starting', 'running', 'backoff', 'crashed'];

/**
 * The runtime rules written out independently of the module's table, so a change to the table
 * has to be made here too, on purpose.
 */
const EXPECTED: Record<string, RuntimeState> = {
  'stopped start': 'starting', 'stopped stop': 'stopped',
  'starting ready': 'running', 'starting setup_failed': 'crashed', 'starting stop': 'stopped',
  'running back_off': 'backoff', 'running give_up': 'crashed', 'running stop': 'stopped',
  'backoff start': 'starting', 'backoff cancel_restart': 'stopped', 'backoff stop': 'stopped',
  'crashed start': 'starting', 'crashed back_off': 'backoff', 'crashed give_up': 'crashed', 'crashed reset': 'stopped',
};

test('the runtime table allows exactly the worker transitions of the supervisor, and refuses the rest naming both', () => {
  for (const from of STATES) {
    for (const event of RUNTIME_EVENTS) {
      const expected = EXPECTED[`${from} ${event}`];
      assert.equal(runtimeTarget(from, event), expected, `${from} + ${event}`);
      if (expected) assert.equal(nextRuntimeState(from, event), expected);
      else assert.throws(() => nextRuntimeState(from, event), (e: unknown) => hasCode(e, 'INTERNAL') && (e as Error).message.includes(from) && (e as Error).message.includes(event));
    }
  }
});

test('a running worker never starts again without stopping or crashing first, and a crash is cleared only by the user', () => {
  assert.equal(runtimeTarget('running', 'start' as RuntimeEvent), undefined);
  assert.equal(runtimeTarget('crashed', 'stop'), undefined, 'stop leaves a crashed worker crashed (its error shown)');
  assert.equal(runtimeTarget('stopped', 'reset'), undefined);
});
