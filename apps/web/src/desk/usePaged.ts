import { useCallback, useEffect, useState } from 'react';
import { get, type Page } from './http';

/** A paged list from the API (items, total, page, pageSize) with its reload and error. */
export function usePaged<T>(path: string, pageSize = 20) {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<T> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      const sep = path.includes('?') ? '&' : '?';
      setData(await get<Page<T>>(`${path}${sep}page=${page}&pageSize=${pageSize}`));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [path, page, pageSize]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return {
    items: data?.items ?? [],
    loading: data === null && !error,
    error,
    reload,
    pagination: { current: page, pageSize, total: data?.total ?? 0, onChange: (p: number) => setPage(p), showSizeChanger: false },
  };
}

/** Every item of a paged list (up to 1,000), for pickers. */
export async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= 5; page++) {
    const p = await get<Page<T>>(`${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=200`);
    out.push(...p.items);
    if (out.length >= p.total || !p.items.length) break;
  }
  return out;
}
