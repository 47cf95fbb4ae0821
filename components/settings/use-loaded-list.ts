"use client";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiClientError, fetchJson } from "@/lib/api/client";

export type LoadedListState<T> = {
  /** null until the first answer. */
  items: T[] | null;
  /** A local change (one item revoked…): a load still in flight cannot bring back what it replaced. */
  update: (change: (items: T[]) => T[]) => void;
  /** The last load's failure, shown by LoadedList with a Retry button. */
  error: string | null;
  reload: () => Promise<void>;
};

/**
 * A Settings list loaded from `url`, whose answer holds the list under `key`: loaded after mount, reloaded on
 * demand; only the newest load may set the list, so an answer started before a change cannot undo it.
 */
export function useLoadedList<T, K extends string = string>(
  url: string,
  key: K,
  failText: string,
): LoadedListState<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loads = useRef(0);

  const reload = useCallback(async () => {
    const seq = ++loads.current;
    try {
      const body = await fetchJson<Record<K, T[]>>(url);
      if (seq !== loads.current) return;
      setItems(body[key]);
      setError(null);
    } catch (e) {
      if (seq !== loads.current) return;
      setError(e instanceof ApiClientError ? e.message : failText);
    }
  }, [url, key, failText]);

  useEffect(() => {
    // After mount: fetch resolves asynchronously, so nothing is set synchronously inside the effect.
    const timer = setTimeout(() => void reload(), 0);
    return () => clearTimeout(timer);
  }, [reload]);

  const update = useCallback((change: (items: T[]) => T[]) => {
    loads.current++;
    setItems((list) => change(list ?? []));
  }, []);

  return { items, update, error, reload };
}
