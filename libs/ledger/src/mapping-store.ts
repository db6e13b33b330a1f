/**
 * The column mappings the project office confirmed, one per header shape
 * (signature): a county uploads the same ledger month after month, so its
 * confirmed mapping is proposed again and the import runs without asking.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { ProposedColumn } from './header-reader';

export interface ConfirmedColumn {
  index: number;
  label: string;
  field: ProposedColumn['field'];
  unit?: string;
  factor?: number;
}

export async function savedMapping(ds: DataSource | EntityManager, signature: string): Promise<{ columns: ConfirmedColumn[]; confirmedAt: string } | null> {
  const [row] = await ds.query(`SELECT columns, confirmed_at AS "confirmedAt" FROM ledger_mapping WHERE signature = $1`, [signature]);
  return row ?? null;
}

/** Saves (or replaces) the mapping for a header shape; returns the one it replaced, for the audit row. */
export async function saveMapping(em: EntityManager, signature: string, columns: ConfirmedColumn[], personId: string | null): Promise<ConfirmedColumn[] | null> {
  const [before] = await em.query(`SELECT columns FROM ledger_mapping WHERE signature = $1 FOR UPDATE`, [signature]);
  await em.query(
    `INSERT INTO ledger_mapping (signature, columns, confirmed_by) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (signature) DO UPDATE SET columns = EXCLUDED.columns, confirmed_by = EXCLUDED.confirmed_by, confirmed_at = now()`,
    [signature, JSON.stringify(columns), personId],
  );
  return before?.columns ?? null;
}
