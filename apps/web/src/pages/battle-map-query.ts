/**
 * The battle map's request, in the entry bundle so that it can leave as soon as the route is known:
 * App.tsx starts it when it asks for the page's code, and the page takes that answer instead of
 * asking again. Measured (tests/bench/battle-map-browser.ts): asked from the page's first effect,
 * the request waited for the page chunk, the table's first render and its paint, 300–400 ms.
 */
import { get } from '../api';

export const FILTERS = ['townshipId', 'unitId', 'liaisonLeaderId', 'category', 'colour', 'stage'] as const;

/** The page, its size (20 rows at a desk, 12 on the meeting-room screen's large type) and the API query for them. */
export function battleMapQuery(params: URLSearchParams): { screen: boolean; page: number; pageSize: number; query: string } {
  const screen = params.get('screen') === '1';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = Math.min(200, Math.max(1, Number(params.get('pageSize')) || (screen ? 12 : 20)));
  const q = new URLSearchParams();
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v) q.set(f, v);
  }
  q.set('page', String(page));
  q.set('pageSize', String(pageSize));
  return { screen, page, pageSize, query: q.toString() };
}

let early: { query: string; answer: Promise<unknown> } | null = null;

/** Asks for the map of the address in the location bar, if it is the battle map's (called once, with the page's code). */
export function prefetchBattleMap(): void {
  if (typeof window === 'undefined' || window.location.pathname !== '/battle-map') return;
  const { query } = battleMapQuery(new URLSearchParams(window.location.search));
  const answer = get(`/battle-map?${query}`);
  // Not a lost error: the page reports it when it takes the answer.
  answer.catch(() => undefined);
  early = { query, answer };
}

/** The early answer for this query, once (later loads, refreshes and other filters ask the API themselves). */
export function takePrefetched<T>(query: string): Promise<T> | null {
  const e = early;
  early = null;
  return e && e.query === query ? (e.answer as Promise<T>) : null;
}
