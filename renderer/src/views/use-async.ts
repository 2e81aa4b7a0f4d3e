/** Loading one host answer into a view, with loading and error states. */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorMessage } from './format.ts';

/** What {@link useAsync} gives a view. */
export interface AsyncState<T> {
  /** The last successful answer; kept while a reload runs or fails, so the view does not blank. */
  data: T | undefined;
  /** Why the last load failed, or `null`. */
  error: string | null;
  /** True while a load runs. */
  loading: boolean;
  /** Loads again; resolves when done (never rejects: the failure lands in `error`). */
  reload(): Promise<void>;
  /**
   * Replaces the data, e.g. with the answer of a write call or a pushed event: the newest value,
   * so a load still in flight is dropped, and an earlier load's error is cleared.
   */
  setData(data: T): void;
}

/**
 * Runs `load` on mount and whenever `key` changes. An answer that arrives after a newer load
 * started, or after unmount, is dropped, so a slow reply never overwrites a fresh one.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  const seqRef = useRef(0);
  useLayoutEffect(() => {
    loadRef.current = load;
  });

  const reload = useCallback(async () => {
    const seq = ++seqRef.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (seq !== seqRef.current) return;
      setData(value);
      setError(null);
    } catch (err) {
      if (seq === seqRef.current) setError(errorMessage(err));
    } finally {
      if (seq === seqRef.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(undefined);
    setError(null);
    void reload();
    // Invalidate answers still in flight when the key changes or the view unmounts.
    return () => void ++seqRef.current;
  }, [key, reload]);

  const replace = useCallback((value: T) => {
    ++seqRef.current;
    setData(value);
    setError(null);
    setLoading(false);
  }, []);

  return { data, error, loading, reload, setData: replace };
}
