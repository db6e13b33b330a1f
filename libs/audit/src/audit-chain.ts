import { createHash } from 'node:crypto';

/** The fields a row's hash covers, as stored. */
export interface ChainedRow {
  seq: string;
  at: Date;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
}

/** JSON with object keys sorted at every depth: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// eslint-disable-next-line no-control-regex -- finding NUL is the point: PostgreSQL cannot store it
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as PostgreSQL will store it: NUL (refused by text and jsonb) and lone
 * surrogates (refused by jsonb, silently replaced in text) become U+FFFD. Hashing
 * the original instead would make a row written with them look tampered with,
 * and refusing them would make the audit the reason a write fails.
 */
export function storableText<T extends string | null | undefined>(s: T): T extends string ? string : null {
  return (typeof s === 'string' ? s.replace(UNSTORABLE, '\uFFFD') : null) as T extends string ? string : null;
}

/** A before/after summary as jsonb will give it back: plain JSON (dates as ISO strings, undefined dropped), clean text, or null. */
export function storableJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const json = JSON.stringify(value);
  return json === undefined ? null : clean(JSON.parse(json));
}

function clean(v: unknown): unknown {
  if (typeof v === 'string') return storableText(v);
  if (Array.isArray(v)) return v.map(clean);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), clean(x)]));
  return v;
}

/** sha256 over the previous row's hash and this row's content. */
export function auditHash(prevHash: string | null, row: ChainedRow): string {
  return auditHashOf(prevHash, row.seq, auditContentTail(row));
}

/**
 * The canonical content of a row after its seq, which can be prepared before
 * the row's place in the chain is known (the append does it before it takes
 * the chain's lock, so that the lock covers only hashing and the insert).
 */
export function auditContentTail(row: Omit<ChainedRow, 'seq'>): string {
  return [
    row.at.toISOString(),
    row.actorKind,
    row.actorId,
    row.actorName,
    row.action,
    row.targetType,
    row.targetId,
    row.before ?? null,
    row.after ?? null,
    row.reason,
    row.requestId,
  ]
    .map(canonicalJson)
    .join(',');
}

/** The hash from the previous row's hash, the seq and the prepared tail: canonicalJson([seq, ...tail]). */
export function auditHashOf(prevHash: string | null, seq: string, tail: string): string {
  return createHash('sha256')
    .update(`${prevHash ?? ''}\n[${canonicalJson(seq)},${tail}]`)
    .digest('hex');
}
