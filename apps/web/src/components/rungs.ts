/** Rung names of the default ladder (a ladder's own names come with the matter). */
const RUNGS: Record<string, { zh: string; en: string }> = {
  unit: { zh: '责任单位', en: 'Responsible unit' },
  township: { zh: '乡镇', en: 'Township' },
  liaison: { zh: '包联领导', en: 'Liaison leader' },
  county: { zh: '县委县政府', en: 'County committee' },
};

export function rungName(key: string | null | undefined, t: (zh: string, en: string) => string): string {
  if (!key) return '—';
  const r = RUNGS[key];
  return r ? t(r.zh, r.en) : key;
}

/** Rungs in ladder order, for tables (unknown keys after the known ones). */
export const rungOrder = (key: string): number => {
  const i = Object.keys(RUNGS).indexOf(key);
  return i < 0 ? 99 : i;
};
