/**
 * Names for the ids the API answers with (units, projects), loaded once per
 * tab and kept. An answer that already carries a name (unitName, projectName)
 * wins; until the lists arrive, a short id stands in.
 */
import { useEffect, useState } from 'react';
import { get } from '../api';

interface Named {
  id: string;
  name: string;
}

let cache: Promise<{ units: Map<string, string>; projects: Map<string, string> }> | null = null;

async function loadAll(): Promise<{ units: Map<string, string>; projects: Map<string, string> }> {
  const list = async (path: string) => {
    try {
      const page = await get<{ items: Named[] }>(path);
      return new Map(page.items.map((i) => [i.id, i.name]));
    } catch {
      return new Map<string, string>();
    }
  };
  const [units, projects] = await Promise.all([list('/org-units?pageSize=200'), list('/projects?pageSize=200')]);
  return { units, projects };
}

export interface Names {
  unit: (id: string | null | undefined, given?: string | null) => string;
  project: (id: string | null | undefined, given?: string | null) => string;
}

export function useNames(): Names {
  const [maps, setMaps] = useState<{ units: Map<string, string>; projects: Map<string, string> } | null>(null);
  useEffect(() => {
    let live = true;
    cache ??= loadAll();
    void cache.then((m) => live && setMaps(m));
    return () => {
      live = false;
    };
  }, []);
  const short = (id: string | null | undefined) => (id ? id.slice(0, 8) : '—');
  return {
    unit: (id, given) => given ?? (id && maps?.units.get(id)) ?? short(id),
    project: (id, given) => given ?? (id && maps?.projects.get(id)) ?? short(id),
  };
}

/** Forgets the names (after logout: another person may see other projects). */
export function forgetNames(): void {
  cache = null;
}
