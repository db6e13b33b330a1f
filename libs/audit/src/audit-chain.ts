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

/** sha256 over the previous row's hash and this row's content. */
export function auditHash(prevHash: string | null, row: ChainedRow): string {
  const content = canonicalJson([
    row.seq,
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
  ]);
  return createHash('sha256').update(`${prevHash ?? ''}\n${content}`).digest('hex');
}
