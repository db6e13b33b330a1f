/**
 * The ledger (台账) in Excel: export, and import in steps — the file is read
 * and its columns proposed (a county's own ledger: the office confirms or
 * changes which column is which, and Duban keeps that for the next upload of
 * the same shape), the check (dry run) shows every bad cell as a table while
 * nothing is written, then the import itself.
 */
import { Alert, Button, Card, InputNumber, Result, Space, Steps, Typography } from 'antd';
import { useRef, useState } from 'react';
import { ErrorView } from '../desk/ErrorView';
import { DeskError, download, post, upload } from '../desk/http';
import { useT } from '../desk/shim';
import { DeskTheme } from '../desk/DeskTheme';
import { type CellProblem, type Check, ProblemsTable } from './ledger/ProblemsTable';
import { MappingTable, type Proposal } from './ledger/MappingTable';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Imported {
  created: number;
  updated: number;
  unchanged: number;
  plans: number;
  investmentReports: number;
  progressNotes: number;
  milestonePlans: number;
  workflowsStarted: number;
  plansChanged: number;
}

export default function Ledger() {
  return (
    <DeskTheme>
      <LedgerPage />
    </DeskTheme>
  );
}

function LedgerPage() {
  const { t } = useT();
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const [file, setFile] = useState<File | null>(null);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const [done, setDone] = useState<Imported | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const run = async <T,>(f: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await f();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const choose = async (f: File | null) => {
    setFile(f);
    setProposal(null);
    setCheck(null);
    setDone(null);
    if (!f) return;
    const r = await run(() => upload<Proposal & { preview: Check }>(`/ledger/import/proposal?year=${year}`, f, XLSX));
    if (!r) return;
    setProposal(r);
    // A confirmed (or Duban's own) header is checked at once; a new shape waits for the office's confirmation.
    if (!r.needsConfirmation) setCheck(r.preview);
  };

  const confirm = async (columns: Proposal['columns']) => {
    if (!file || !proposal) return;
    const saved = await run(async () => {
      await post('/ledger/mapping', {
        signature: proposal.signature,
        columns: columns.map((c) => ({ index: c.index, label: c.label, field: c.field, ...(c.unit && { unit: c.unit }) })),
        reason: '项目办确认台账列对应关系',
      });
      return upload<Proposal & { preview: Check }>(`/ledger/import/proposal?year=${year}`, file, XLSX);
    });
    if (saved) {
      setProposal(saved);
      setCheck(saved.preview);
    }
  };

  const commit = async () => {
    if (!file) return;
    try {
      setBusy(true);
      setError(null);
      setDone(await upload<Imported>(`/ledger/import?year=${year}`, file, XLSX));
    } catch (e) {
      // The import checks again: problems found now are shown the same way.
      const problems = e instanceof DeskError ? (e.body.details?.problems as CellProblem[] | undefined) : undefined;
      if (problems && check) setCheck({ ...check, problems });
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const problems = check?.problems ?? [];
  // With problems the first steps are where the work is: correct the file (or the mapping) and choose it again.
  const step = done ? 3 : check && !problems.length ? 2 : check ? 1 : proposal ? 1 : 0;

  return (
    <div>
      <Typography.Title level={2}>{t('项目台账', 'Project ledger')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <label htmlFor="ledger-year">{t('年度', 'Year')}</label>
        <InputNumber id="ledger-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <Button onClick={() => void run(() => download(`/ledger/export?year=${year}`, '重点项目台账.xlsx'))}>{t('导出台账（.xlsx）', 'Export the ledger (.xlsx)')}</Button>
      </Space>
      <Card title={t('导入台账', 'Import a ledger')}>
        <Steps
          current={step}
          status={problems.length ? 'error' : 'process'}
          style={{ marginBottom: 16 }}
          items={[
            { title: t('选择文件', 'Choose a file') },
            { title: t('确认列对应关系并检查', 'Confirm the columns and check') },
            { title: t('确认导入', 'Import') },
            { title: t('完成', 'Done') },
          ]}
        />
        <Space wrap>
          <label htmlFor="ledger-file">{t('台账文件（.xlsx）', 'Ledger file (.xlsx)')}</label>
          <input
            id="ledger-file"
            ref={input}
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => void choose(e.target.files?.[0] ?? null)}
          />
          {file && (
            <Button onClick={() => void choose(file)} loading={busy}>
              {t('重新检查', 'Check again')}
            </Button>
          )}
        </Space>
        <div style={{ marginTop: 16 }}>
          <ErrorView error={error} />
        </div>
        {/* Duban's own export needs no mapping: its table would only be noise. */}
        {proposal && !done && (proposal.needsConfirmation || proposal.saved) && <MappingTable proposal={proposal} busy={busy} onConfirm={(c) => void confirm(c)} />}
        {check && problems.length > 0 && <ProblemsTable problems={problems} />}
        {check && problems.length === 0 && !done && (
          <Space orientation="vertical" style={{ marginTop: 16 }}>
            <Alert
              type="success"
              showIcon
              title={t(
                `检查通过：${check.rows}行，将新增${check.created}个项目、更新${check.updated}个项目，${check.milestonePlans}个含节点计划。尚未写入。`,
                `Checked: ${check.rows} rows; ${check.created} projects to create, ${check.updated} to update, ${check.milestonePlans} with a milestone plan. Nothing written yet.`,
              )}
            />
            <Button type="primary" loading={busy} onClick={() => void commit()}>
              {t('确认导入', 'Import now')}
            </Button>
          </Space>
        )}
        {done && (
          <Result
            status="success"
            title={t('导入完成', 'Imported')}
            subTitle={t(
              `新增${done.created}个、更新${done.updated}个、未变${done.unchanged}个项目；年度计划${done.plans}个；完成投资${done.investmentReports}条、形象进度${done.progressNotes}条；节点计划${done.milestonePlans}个（启动${done.workflowsStarted}个、变更${done.plansChanged}个）。`,
              `${done.created} created, ${done.updated} updated, ${done.unchanged} unchanged; ${done.plans} annual plans; ${done.investmentReports} investment reports, ${done.progressNotes} progress notes; ${done.milestonePlans} milestone plans (${done.workflowsStarted} started, ${done.plansChanged} changed).`,
            )}
          />
        )}
      </Card>
    </div>
  );
}
