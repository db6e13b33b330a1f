/**
 * Audited writes per second while a large ledger import runs. The import is
 * one transaction of up to 20,000 projects, each with its audit row; every
 * other audited write in the system (logins, escalations, progress notes)
 * extends the same hash chain, so whatever the import holds of the chain's
 * lock, they wait for. Measured in process over the real LedgerService and
 * AuditService against the bench database: first the writers alone, then the
 * same writers while the import runs.
 */
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { AuditService } from '../../libs/audit/src/audit.service';
import { SYSTEM_ACTOR } from '../../libs/audit/src/audit.types';
import { verifyAuditChain } from '../../libs/audit/src/verify';
import { LedgerService } from '../../libs/ledger/src/ledger.service';
import type { LifecycleService } from '../../libs/lifecycle/src/lifecycle.service';
import type { DubanConfig } from '../../libs/config/src';

export interface AuditUnderImport {
  rows: number;
  importSeconds: number;
  alone: WriterFigures;
  duringImport: WriterFigures;
  chainOk: boolean;
}

interface WriterFigures {
  writes: number;
  perSecond: number;
  /** The longest one audited write took (ms): the wait behind the chain's lock shows here. */
  maxMs: number;
}

const WRITERS = 4;

/** Small audited transactions, WRITERS at a time, until `until` resolves (or for `ms`). */
async function writers(ds: DataSource, audit: AuditService, stop: () => boolean): Promise<WriterFigures> {
  let writes = 0;
  let maxMs = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      while (!stop()) {
        const t = Date.now();
        await ds.transaction((em) => audit.record(em, { actor: SYSTEM_ACTOR, action: 'bench.write', targetType: 'bench', targetId: `w${w}`, after: { n: writes } }));
        maxMs = Math.max(maxMs, Date.now() - t);
        writes++;
      }
    }),
  );
  const seconds = (Date.now() - t0) / 1000;
  return { writes, perSecond: Math.round(writes / seconds), maxMs };
}

async function ledgerFile(rows: number, unit: string, township: string, leader: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('重点项目台账');
  ws.addRow(['项目代码', '项目名称', '项目类别', '责任单位', '项目业主', '所在乡镇', '总投资（万元）', '包联领导', '2026年计划投资（万元）']);
  for (let i = 0; i < rows; i++) {
    ws.addRow([`2026-341199-48-09-${String(i).padStart(6, '0')}`, `台账压测项目${i}`, '基础设施', unit, '县城投集团', township, 1000 + (i % 500), leader, 300]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function auditUnderImport(o: { ds: DataSource; rows: number; officer: string; unit: string; township: string; leader: string }): Promise<AuditUnderImport> {
  const audit = new AuditService(o.ds);
  // No milestone plans in the file: no lifecycle is started, so the lifecycle service is never called.
  const ledger = new LedgerService(o.ds, audit, {} as LifecycleService, { DUBAN_TIME_ZONE: 'Asia/Shanghai' } as DubanConfig);
  const file = await ledgerFile(o.rows, o.unit, o.township, o.leader);
  const aloneUntil = Date.now() + 5000;
  const alone = await writers(o.ds, audit, () => Date.now() >= aloneUntil);
  let done = false;
  const t0 = Date.now();
  const importing = ledger
    .import(
      {
        actor: { kind: 'person', personId: o.officer, accountId: o.officer, sessionId: o.officer, name: '项目办戊', orgUnitId: o.officer, roles: ['project_office'] },
        requestId: 'bench-import',
      },
      file,
      2026,
    )
    .finally(() => (done = true));
  const [duringImport] = await Promise.all([writers(o.ds, audit, () => done), importing]);
  const importSeconds = (Date.now() - t0) / 1000;
  return { rows: o.rows, importSeconds, alone, duringImport, chainOk: (await verifyAuditChain(o.ds)).ok };
}
