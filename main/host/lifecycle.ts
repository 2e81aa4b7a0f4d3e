/**
 * The plugin lifecycle state machine (CONTRACT §9): the six lifecycle states,
 * every allowed transition as `(from, event) → to`, and nothing else. The host persists the
 * state in the registry and moves it ONLY through {@link transition}, so a refused move is one
 * `CONFLICT` error with the same words everywhere.
 *
 * The lifecycle state says what the user asked for and what the host decided; the worker's
 * runtime state (`stopped | starting | running | backoff | crashed`) says what the process is
 * doing. {@link reconcileRuntime} combines the two so the UI never shows a plugin `ready` whose
 * worker cannot answer, and tells the host when a worker runs that must not (a stale process).
 */
import type { LifecycleState, RuntimeState } from '@plinth/sdk/protocol/lifecycle';
import { PlinthError } from '@plinth/sdk/protocol/errors';

/** Every lifecycle state of CONTRACT §9, in the order the settings window lists them. */
export const LIFECYCLE_STATES = ['installed', 'ready', 'disabled', 'error', 'upgrade_pending', 'uninstalled'] as const satisfies readonly LifecycleState[];

/**
 * What moves a plugin between lifecycle states. The host decides WHICH event a user action or
 * a fact is; the table decides whether it is allowed and where it leads.
 *
 * - `configure`: a config was saved (state unchanged; completing a missing config is `enable`).
 * - `enable`: the plugin becomes ready: the user enabled it (capabilities approved), or the
 *   required config of a plugin the user enabled became valid, or the user
 *   re-enabled a plugin in `error` (e.g. after a crash loop).
 * - `disable`: the user turned the plugin off. From `upgrade_pending` the staged version is
 *   dropped; enabling later asks consent for whatever capabilities the plugin then declares.
 * - `require_config`: the plugin needs config it does not have (a new version added a required
 *   field, or the user enabled it before configuring); it waits in `installed`.
 * - `fail`: validation, setup or a crash loop failed; the reason is stored beside the state.
 *   Allowed from `error` too, so a new failure replaces the reason.
 * - `recover`: the cause of an `error` went away by itself (e.g. a hot-reloaded manifest is
 *   valid again). The plugin starts over as `installed`; the host then fires `enable` or
 *   `disable` according to what the user had chosen.
 * - `request_upgrade`: a newer version asks for more capabilities; again from
 *   `upgrade_pending` when yet another version arrives.
 * - `approve_upgrade` / `decline_upgrade`: the user's answer; declining keeps the old version.
 * - `uninstall`: files moved out of use, config and state kept for the grace period.
 *   Bundled plugins cannot be uninstalled; that rule is about the source, checked by the host.
 * - `restore`: an uninstalled plugin comes back within its grace period, `disabled` with its
 *   config, state and consent kept, so no untrusted code runs until the user enables it.
 */
export const LIFECYCLE_EVENTS = [
  'configure', 'enable', 'disable', 'require_config', 'fail', 'recover',
  'request_upgrade', 'approve_upgrade', 'decline_upgrade', 'uninstall', 'restore',
] as const;

/** An event of {@link LIFECYCLE_EVENTS}. */
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/**
 * Every allowed transition, `TRANSITIONS[from][event] = to`. A pair missing here is refused.
 * `satisfies` makes a new lifecycle state fail to compile until its row is written.
 */
export const TRANSITIONS = {
  installed: {
    configure: 'installed',
    enable: 'ready',
    disable: 'disabled',
    fail: 'error',
    uninstall: 'uninstalled',
  },
  ready: {
    configure: 'ready',
    disable: 'disabled',
    require_config: 'installed',
    fail: 'error',
    request_upgrade: 'upgrade_pending',
    uninstall: 'uninstalled',
  },
  disabled: {
    configure: 'disabled',
    enable: 'ready',
    require_config: 'installed',
    fail: 'error',
    uninstall: 'uninstalled',
  },
  error: {
    configure: 'error',
    enable: 'ready',
    disable: 'disabled',
    require_config: 'installed',
    fail: 'error',
    recover: 'installed',
    uninstall: 'uninstalled',
  },
  upgrade_pending: {
    configure: 'upgrade_pending',
    disable: 'disabled',
    fail: 'error',
    request_upgrade: 'upgrade_pending',
    approve_upgrade: 'ready',
    decline_upgrade: 'ready',
    uninstall: 'uninstalled',
  },
  uninstalled: {
    restore: 'disabled',
  },
} as const satisfies Record<LifecycleState, Partial<Record<LifecycleEvent, LifecycleState>>>;

/** How each event reads in a refusal: "Cannot <phrase> a plugin that is <state>". */
const EVENT_PHRASES: Record<LifecycleEvent, string> = {
  configure: 'configure',
  enable: 'enable',
  disable: 'disable',
  require_config: 'require config of',
  fail: 'fail',
  recover: 'recover',
  request_upgrade: 'request an upgrade of',
  approve_upgrade: 'approve an upgrade of',
  decline_upgrade: 'decline an upgrade of',
  uninstall: 'uninstall',
  restore: 'restore',
};

/** The target of `(from, event)`, or `undefined` when the table has no such transition. */
function target(from: LifecycleState, event: LifecycleEvent): LifecycleState | undefined {
  const row: Partial<Record<LifecycleEvent, LifecycleState>> | undefined = Object.hasOwn(TRANSITIONS, from) ? TRANSITIONS[from] : undefined;
  return row && Object.hasOwn(row, event) ? row[event] : undefined;
}

/** True when {@link TRANSITIONS} allows `event` in state `from`. */
export function canTransition(from: LifecycleState, event: LifecycleEvent): boolean {
  return target(from, event) !== undefined;
}

/**
 * The state `event` leads to from `from`.
 * @throws PlinthError `CONFLICT` "Cannot <event> a plugin that is <state>" (data `{ state, event }`)
 *   for a pair the table does not allow, and `INVALID_INPUT` for an unknown state or event
 *   (e.g. a corrupt registry row).
 */
export function transition(from: LifecycleState, event: LifecycleEvent): LifecycleState {
  if (!(LIFECYCLE_STATES as readonly string[]).includes(from)) {
    throw new PlinthError('INVALID_INPUT', `Unknown lifecycle state "${String(from)}"; expected one of ${LIFECYCLE_STATES.join(', ')}`);
  }
  if (!(LIFECYCLE_EVENTS as readonly string[]).includes(event)) {
    throw new PlinthError('INVALID_INPUT', `Unknown lifecycle event "${String(event)}"; expected one of ${LIFECYCLE_EVENTS.join(', ')}`);
  }
  const to = target(from, event);
  if (to === undefined) {
    throw new PlinthError('CONFLICT', `Cannot ${EVENT_PHRASES[event]} a plugin that is ${from}`, { state: from, event });
  }
  return to;
}

/** The events allowed in state `from`, in {@link LIFECYCLE_EVENTS} order (for the UI's buttons). */
export function allowedEvents(from: LifecycleState): LifecycleEvent[] {
  return LIFECYCLE_EVENTS.filter((event) => canTransition(from, event));
}

/**
 * True for the states whose slots show and whose worker may run: `ready`, and
 * `upgrade_pending` because declining keeps the old version running.
 * In every other state a worker process is stale and must be stopped.
 */
export function isServing(state: LifecycleState): boolean {
  return state === 'ready' || state === 'upgrade_pending';
}

/**
 * What kind of failure keeps a plugin in `error` (or waiting for configuration):
 * - `manifest`: its files or manifest are invalid; cleared when discovery finds them fixed;
 * - `config`: its configuration fails its `configSchema`; cleared when the user saves a valid one;
 * - `setup`: its worker's `setup` failed; and
 * - `crash_loop`: its worker crashed too often; these two are runtime failures, which survive a
 *   restart of the app and stay until the user re-enables or reloads the plugin.
 */
export type FailureKind = 'manifest' | 'config' | 'setup' | 'crash_loop';

/** Why a plugin is in `error` or `needs_config`: the kind as data, the message in words for the user. */
export interface PluginFailure { kind: FailureKind; message: string }

/** Failure kinds of the worker rather than of the plugin's files or configuration. */
export const RUNTIME_FAILURE_KINDS: readonly FailureKind[] = ['setup', 'crash_loop'];

/** True when `failure` is a failure of the worker (setup, crash loop), which only the user clears. */
export function isRuntimeFailure(failure: PluginFailure | null | undefined): boolean {
  return !!failure && RUNTIME_FAILURE_KINDS.includes(failure.kind);
}

/** The failure of a plugin whose configuration fails its schema: `problem` names the field and rule. */
export function configFailure(problem: string): PluginFailure {
  return { kind: 'config', message: `Needs configuration: ${problem}` };
}

/** The runtime facts {@link reconcileRuntime} reads; the supervisor's `WorkerRuntime` fits. */
export interface RuntimeFacts {
  state: RuntimeState;
  /** The last worker error (exit reason, activation failure), if any. */
  lastError?: string;
}

/** What the UI shows for a plugin and what the host must do about its worker. */
export interface RuntimeReconciliation {
  /** The lifecycle state to show: the stored one, or `error` for a serving plugin whose worker cannot answer. */
  shown: LifecycleState;
  /** Why `shown` is `error` while the stored state is not, in words for the user. */
  problem?: string;
  /** False when the runtime contradicts the stored lifecycle state (shown differs, or a stale worker runs). */
  consistent: boolean;
  /** `stop_worker`: a worker runs (or a restart is scheduled) in a state where none may; stop it and cancel the restart. */
  action: 'none' | 'stop_worker';
}

/**
 * Combines the stored lifecycle state with the worker's runtime state.
 *
 * Rules, for a serving state (`ready`, `upgrade_pending`):
 * - `stopped`, `starting`, `running`: shown as stored. A stopped worker of a serving plugin
 *   still answers, since the next request starts it (lazy activation, CONTRACT §6).
 * - `crashed`, `backoff`: shown as `error` with the runtime problem, because nothing can
 *   answer until the restart succeeds; the stored state is unchanged (a crash loop is what
 *   moves it, through `fail`).
 *
 * For every other state:
 * - `stopped`, `crashed`: consistent, no process exists.
 * - `starting`, `running`, `backoff`: a stale worker; `action: 'stop_worker'`, so re-enabling
 *   never meets a stale process.
 */
export function reconcileRuntime(lifecycle: LifecycleState, runtime: RuntimeFacts): RuntimeReconciliation {
  const cause = runtime.lastError ? `: ${runtime.lastError}` : '';
  if (isServing(lifecycle)) {
    switch (runtime.state) {
      case 'crashed':
        return { shown: 'error', problem: `The worker crashed${cause}`, consistent: false, action: 'none' };
      case 'backoff':
        return { shown: 'error', problem: `The worker is restarting after a crash${cause}`, consistent: false, action: 'none' };
      default:
        return { shown: lifecycle, consistent: true, action: 'none' };
    }
  }
  if (runtime.state === 'stopped' || runtime.state === 'crashed') {
    return { shown: lifecycle, consistent: true, action: 'none' };
  }
  return { shown: lifecycle, consistent: false, action: 'stop_worker' };
}
