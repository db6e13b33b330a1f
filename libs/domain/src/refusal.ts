/**
 * A refusal by a workflow's rules (who may do what, when): its kind, which
 * the API maps to 403 / 422 / 409, and the text in Chinese and English.
 * Shared by the rules of blockers, lifecycles and approval items.
 */
export interface Refusal {
  type: 'Forbidden' | 'Invalid' | 'Conflict';
  zh: string;
  en: string;
}

export const forbidden = (zh: string, en: string): Refusal => ({ type: 'Forbidden', zh, en });
export const invalid = (zh: string, en: string): Refusal => ({ type: 'Invalid', zh, en });
export const conflict = (zh: string, en: string): Refusal => ({ type: 'Conflict', zh, en });
export const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';
