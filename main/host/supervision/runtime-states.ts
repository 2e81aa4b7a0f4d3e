/**
 * The worker runtime state machine (`RuntimeState` of CONTRACT §9: stopped, starting, running,
 * backoff, crashed) as one table, like the lifecycle table of main/host/lifecycle.ts. The
 * supervisor decides WHICH event a fact is (the process exited, setup resolved, the user
 * stopped it…); the table decides whether it is allowed and where it leads. Pure.
 */
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { RuntimeState } from '@plinth/sdk/protocol/lifecycle';

/**
 * What moves a worker between runtime states:
 * - `start`: a process is spawned and `init`/`setup` run (first start, a restart after backoff,
 *   or a fresh start after a crash);
 * - `ready`: setup resolved; the worker serves calls;
 * - `setup_failed`: spawn, `init` or `setup` failed, or took longer than the setup budget;
 * - `back_off`: the process died (or a restart's setup failed) and a restart is scheduled;
 * - `give_up`: the process died and no restart follows (crash loop, or the plugin no longer
 *   wants one);
 * - `cancel_restart`: a scheduled restart is dropped because the plugin is no longer ready;
 * - `stop`: the host stopped the worker (disable, idle, reload, quit);
 * - `reset`: the user re-enabled a plugin whose worker had crashed; the next need starts anew.
 */
export const RUNTIME_EVENTS = ['start', 'ready', 'setup_failed', 'back_off', 'give_up', 'cancel_restart', 'stop', 'reset'] as const;

/** An event of {@link RUNTIME_EVENTS}. */
export type RuntimeEvent = (typeof RUNTIME_EVENTS)[number];

/**
 * Every allowed transition, `RUNTIME_TRANSITIONS[from][event] = to`. A pair missing here is
 * refused. `satisfies` makes a new runtime state fail to compile until its row is written.
 */
export const RUNTIME_TRANSITIONS = {
  stopped: { start: 'starting', stop: 'stopped' },
  starting: { ready: 'running', setup_failed: 'crashed', stop: 'stopped' },
  running: { back_off: 'backoff', give_up: 'crashed', stop: 'stopped' },
  backoff: { start: 'starting', cancel_restart: 'stopped', stop: 'stopped' },
  crashed: { start: 'starting', back_off: 'backoff', give_up: 'crashed', reset: 'stopped' },
} as const satisfies Record<RuntimeState, Partial<Record<RuntimeEvent, RuntimeState>>>;

/** The state `event` leads to from `from`, or `undefined` when the table has no such transition. */
export function runtimeTarget(from: RuntimeState, event: RuntimeEvent): RuntimeState | undefined {
  const row: Partial<Record<RuntimeEvent, RuntimeState>> = RUNTIME_TRANSITIONS[from];
  return Object.hasOwn(row, event) ? row[event] : undefined;
}

/**
 * The state `event` leads to from `from`.
 * @throws PlinthError `INTERNAL` when the table has no such transition: a supervisor bug, named
 *   with both so it can be found.
 */
export function nextRuntimeState(from: RuntimeState, event: RuntimeEvent): RuntimeState {
  const to = runtimeTarget(from, event);
  if (to === undefined) throw new PlinthError('INTERNAL', `A worker that is ${from} cannot take the runtime event "${event}"`);
  return to;
}
