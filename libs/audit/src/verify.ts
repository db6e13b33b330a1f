import { DataSource } from 'typeorm';
import { auditHash } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';

export interface ChainReport {
  ok: boolean;
  rows: number;
  headHash: string | null;
  firstBrokenSeq?: number;
  problem?: string;
}

const BATCH = 1000;

/**
 * Walks the whole chain in seq order, in batches: recomputes each row's hash
 * from its content and checks that it points at the row before. An edit, an
 * insert or a deletion anywhere shows as the first row that no longer fits.
 */
export async function verifyAuditChain(ds: DataSource): Promise<ChainReport> {
  const repo = ds.getRepository(AuditEntry);
  let prev: AuditEntry | null = null;
  let rows = 0;
  for (;;) {
    const qb = repo.createQueryBuilder('a').orderBy('a.seq', 'ASC').limit(BATCH);
    if (prev) qb.where('a.seq > :seq', { seq: prev.seq });
    const batch = await qb.getMany();
    for (const row of batch) {
      const broken = (problem: string): ChainReport => ({ ok: false, rows, headHash: prev?.hash ?? null, firstBrokenSeq: Number(row.seq), problem });
      if (row.prevHash !== (prev?.hash ?? null)) {
        return broken(
          prev
            ? `row ${row.seq} does not follow row ${prev.seq} (a row before it was removed, added or changed)`
            : `row ${row.seq} is first but points at an earlier row (rows before it were removed)`,
        );
      }
      if (auditHash(row.prevHash, row) !== row.hash) return broken(`row ${row.seq} was changed after it was written (its content no longer matches its hash)`);
      prev = row;
      rows++;
    }
    if (batch.length < BATCH) break;
  }
  return { ok: true, rows, headHash: prev?.hash ?? null };
}
