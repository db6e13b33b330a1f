/**
 * `npm run audit:verify`: checks the audit log's hash chain in DATABASE_URL.
 * Exit 0 and the head hash (record it elsewhere, e.g. in the weekly bulletin,
 * to detect a rewrite of the whole tail) or exit 1 naming the first broken row.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../persistence/src/data-source';
import { verifyAuditChain } from './verify';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (postgres://user:pass@host:port/db)');
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    const report = await verifyAuditChain(ds);
    if (report.ok) {
      console.log(`audit chain OK: ${report.rows} rows, head ${report.headHash ?? '(empty)'}`);
    } else {
      console.error(`audit chain BROKEN at seq ${report.firstBrokenSeq}: ${report.problem} (${report.rows} rows verified before it)`);
      process.exitCode = 1;
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(2);
});
