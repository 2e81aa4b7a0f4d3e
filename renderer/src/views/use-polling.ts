/** Live refresh for views that show changing host facts (running workers, logs, job runs). */
import { useEffect, useLayoutEffect, useRef } from 'react';

/**
 * Calls `tick` at once and then `intervalMs` after each call settles, while `enabled` and the
 * document is visible (`document.visibilityState`): a hidden window asks the host for nothing.
 * Becoming visible again ticks at once. Calls never overlap; a rejected tick is the caller's to
 * show (this hook swallows it only to keep polling). Stops on unmount.
 * @param intervalMs pause between the end of one call and the start of the next (ms).
 */
export function usePolling(tick: () => Promise<void>, intervalMs: number, enabled = true): void {
  const tickRef = useRef(tick);
  useLayoutEffect(() => {
    tickRef.current = tick;
  });

  useEffect(() => {
    if (!enabled) return undefined;
    let stopped = false;
    let inFlight = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const visible = () => document.visibilityState === 'visible';

    const run = async () => {
      timer = undefined;
      if (stopped || inFlight || !visible()) return;
      inFlight = true;
      try {
        await tickRef.current();
      } catch {
        // The tick shows its own error; polling goes on so the view recovers by itself.
      } finally {
        inFlight = false;
      }
      if (!stopped && visible()) timer = setTimeout(() => void run(), intervalMs);
    };
    const onVisibility = () => {
      if (!visible()) {
        clearTimeout(timer);
        timer = undefined;
      } else if (timer === undefined) {
        void run();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [intervalMs, enabled]);
}
