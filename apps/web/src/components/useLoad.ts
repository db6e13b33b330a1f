/** A small loader for a page's data: loading flag, the API's error, reload. */
import { useCallback, useEffect, useState } from 'react';

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown; loading: boolean; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run()
      .then((d) => live && (setData(d), setError(null)))
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [run, tick]);
  return { data, error, loading, reload: () => setTick((n) => n + 1) };
}

/** All pages of a list answer ({ items, total }), up to a bound (a home page never needs more). */
export async function allPages<T>(fetchPage: (page: number) => Promise<{ items: T[]; total: number }>, max = 5): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= max; page++) {
    const p = await fetchPage(page);
    out.push(...p.items);
    if (out.length >= p.total || p.items.length === 0) break;
  }
  return out;
}
