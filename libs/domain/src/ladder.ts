/**
 * The escalation ladder (层级督办) as data: an ordered list of rungs.
 * Pure code: imported by workflows, the API's pre-checks and tests alike.
 */
export const RUNG_KEYS = ['unit', 'liaison', 'county'] as const;
export type RungKey = (typeof RUNG_KEYS)[number];

export const RUNG_LABELS: Record<RungKey, { zh: string; en: string }> = {
  unit: { zh: '责任单位', en: 'responsible unit' },
  liaison: { zh: '包联领导', en: 'liaison leader' },
  county: { zh: '县委县政府', en: 'county committee' },
};

/** One rung of a policy: who holds the matter and how long they have to act. */
export interface PolicyRung {
  rung: RungKey;
  /** ISO-8601 duration on the wall clock, e.g. `P3D`, `PT2H`, `PT10S`. */
  responseTime: string;
}

/** The default ladder: unit → liaison leader → county committee. */
export const DEFAULT_LADDER: readonly RungKey[] = RUNG_KEYS;

/** Index of the rung after `index`, or null when `index` is the top rung. */
export function nextRungIndex(rungs: readonly unknown[], index: number): number | null {
  return index + 1 < rungs.length ? index + 1 : null;
}

export function isTopRung(rungs: readonly unknown[], index: number): boolean {
  return index === rungs.length - 1;
}
