/** The longest search text accepted (`q`): longer is refused by the DTOs, so a search never scans with a huge pattern. */
export const SEARCH_MAX_LENGTH = 100;

/**
 * A search text as an ILIKE "contains" pattern: `%`, `_` and the escape
 * character itself match literally (a user typing "100%" finds "100%", not
 * everything starting with "100"). Use with `ESCAPE '\'`.
 */
export function containsPattern(q: string): string {
  return `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The search text to apply, or undefined when there is none (absent or only blanks). */
export const searchText = (q: string | undefined): string | undefined => (q && q.trim() ? q.trim() : undefined);
