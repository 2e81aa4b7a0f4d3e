/**
 * Worker streams for plugin frames (CONTRACT §5 `ctx.streams`, §7 `usePluginStream`): each
 * `streams.subscribe` call opens one host subscription whose events go to the window that asked,
 * and to no other. Subscriptions end when that window closes or reloads.
 */
import { randomUUID } from 'node:crypto';
import type { MainEvents } from '../../preload/api.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import type { UiRequests } from '../host/ui-requests.ts';

/** Most stream subscriptions one window may hold; a frame that loops on subscribe cannot exhaust the host. */
export const MAX_STREAM_SUBSCRIPTIONS_PER_WINDOW = 256;

/** One shell window as a destination of main → renderer notifications. */
export interface IpcPushTarget {
  /** Stable id of the window for its lifetime (Electron: the webContents id; harness: a page id). */
  id: string;
  /**
   * Sends one notification to this window only. A returned promise settles when the window took
   * it, which the host's stream service uses as backpressure.
   */
  push<E extends keyof MainEvents>(event: E, payload: MainEvents[E]): void | Promise<void>;
  /** Calls `listener` once when the window closes or its document reloads (its frames are gone). */
  onGone(listener: () => void): void;
}

/** The subscriptions of every window. */
export interface StreamSubscriptions {
  /**
   * Subscribes `target` to `channel` of `pluginId`'s worker.
   * @throws PlinthError `CONFLICT` past {@link MAX_STREAM_SUBSCRIPTIONS_PER_WINDOW}; the host's errors as they are.
   */
  subscribe(target: IpcPushTarget, pluginId: string, channel: string): { subscriptionId: string };
  /**
   * Ends one subscription of `target`.
   * @throws PlinthError `NOT_FOUND` when `target` holds no subscription with that id.
   */
  unsubscribe(target: IpcPushTarget, subscriptionId: string): void;
  /** Number of open subscriptions of the window with id `targetId`. */
  count(targetId: string): number;
  /** Ends every subscription (app shutdown). */
  closeAll(): void;
}

/** Creates the registry over the host's `ui.subscribeStream`. */
export function createStreamSubscriptions(ui: Pick<UiRequests, 'subscribeStream'>): StreamSubscriptions {
  const byTarget = new Map<string, Map<string, () => void>>();

  function closeTarget(targetId: string): void {
    const subs = byTarget.get(targetId);
    byTarget.delete(targetId);
    for (const stop of subs?.values() ?? []) stop();
  }

  return {
    subscribe(target, pluginId, channel) {
      let subs = byTarget.get(target.id);
      if (subs && subs.size >= MAX_STREAM_SUBSCRIPTIONS_PER_WINDOW) {
        throw new PlinthError('CONFLICT', `A window may hold at most ${MAX_STREAM_SUBSCRIPTIONS_PER_WINDOW} stream subscriptions; close some first`);
      }
      const subscriptionId = randomUUID();
      const stop = ui.subscribeStream(pluginId, channel, {
        push: (event) => target.push('stream.event', { subscriptionId, event }),
        state: (connected, error) => void target.push('stream.state', { subscriptionId, connected, ...(error ? { error } : {}) }),
      });
      if (!subs) {
        subs = new Map();
        byTarget.set(target.id, subs);
        target.onGone(() => closeTarget(target.id));
      }
      subs.set(subscriptionId, stop);
      return { subscriptionId };
    },
    unsubscribe(target, subscriptionId) {
      const subs = byTarget.get(target.id);
      const stop = subs?.get(subscriptionId);
      if (!subs || !stop) throw new PlinthError('NOT_FOUND', `No stream subscription ${subscriptionId} in this window`);
      subs.delete(subscriptionId);
      stop();
    },
    count: (targetId) => byTarget.get(targetId)?.size ?? 0,
    closeAll() {
      for (const targetId of [...byTarget.keys()]) closeTarget(targetId);
    },
  };
}
