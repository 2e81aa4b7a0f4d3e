/** One workspace write from the view: busy while it runs, its error in plain words when it fails. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { workspaceErrorMessage } from './workspace-errors.ts';

/** What {@link useMutation} gives a component. */
export interface Mutation<A extends unknown[], R> {
  /** Runs the write; resolves with its result, or `undefined` when it failed (the reason is in `error`). Never rejects. */
  run(...args: A): Promise<R | undefined>;
  /** True while a run is under way. */
  busy: boolean;
  /** Why the last run failed, ready to show inline; `null` after a success or {@link Mutation.clearError}. */
  error: string | null;
  clearError(): void;
}

/**
 * Wraps one host write. After a success `onDone` runs (typically: reload the workspace) before
 * `run` resolves, so the caller sees the view as the host has it. Answers after unmount are dropped.
 */
export function useMutation<A extends unknown[], R>(write: (...args: A) => Promise<R>, onDone?: (result: R) => Promise<void> | void): Mutation<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  const latest = useRef({ write, onDone });
  useLayoutEffect(() => {
    latest.current = { write, onDone };
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      const result = await latest.current.write(...args);
      await latest.current.onDone?.(result);
      return result;
    } catch (err) {
      if (mounted.current) setError(workspaceErrorMessage(err));
      return undefined;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}
