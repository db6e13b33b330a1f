/**
 * Which column of the uploaded ledger is which field: each source column with
 * a Select of the fields (and, for an amount, its unit), the recogniser's
 * confidence beside it. A mapping the office confirmed before for the same
 * header shape is shown as such; Duban's own export needs no confirmation.
 */
import { Alert, Button, Select, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useT } from '../../desk/shim';

interface Column {
  index: number;
  label: string;
  field: string | null;
  confidence: number;
  unit?: string;
}
export interface Proposal {
  signature: string;
  headerRows: number[];
  columns: Column[];
  unmapped: { index: number; label: string }[];
  saved: boolean;
  confirmedAt: string | null;
  needsConfirmation: boolean;
  fields: { field: string; zh: string; en: string; amount: boolean }[];
}

const UNITS = ['万元', '亿元', '元'];

export function MappingTable({ proposal, busy, onConfirm }: { proposal: Proposal; busy: boolean; onConfirm: (columns: Column[]) => void }) {
  const { t } = useT();
  const [columns, setColumns] = useState<Column[]>(proposal.columns);
  useEffect(() => setColumns(proposal.columns), [proposal]);
  const amount = (f: string | null) => !!proposal.fields.find((x) => x.field === f)?.amount;
  const change = (index: number, patch: Partial<Column>) => setColumns((cs) => cs.map((c) => (c.index === index ? { ...c, ...patch } : c)));
  const confirmedOn = proposal.confirmedAt ? new Date(proposal.confirmedAt).toLocaleString('zh-CN', { dateStyle: 'long', timeStyle: 'short' }) : '';
  return (
    <div style={{ marginTop: 16 }}>
      {proposal.saved ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(`沿用已保存的列对应关系（${confirmedOn}确认）`, `Using the column mapping confirmed on ${confirmedOn}`)}
        />
      ) : proposal.needsConfirmation ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            `表头在第${proposal.headerRows.join('、')}行。请核对每列对应的字段，确认后再检查导入。`,
            `The header is in row(s) ${proposal.headerRows.join(', ')}. Check the field of each column, then confirm.`,
          )}
        />
      ) : null}
      <Table<Column>
        aria-label={t('列对应关系', 'Column mapping')}
        rowKey="index"
        size="small"
        pagination={false}
        dataSource={columns}
        columns={[
          { title: t('台账中的列', 'Column in the ledger'), dataIndex: 'label' },
          {
            title: t('对应字段', 'Field'),
            width: 220,
            render: (_, c) => (
              <Select
                aria-label={t(`“${c.label}”对应字段`, `Field of “${c.label}”`)}
                style={{ width: 200 }}
                value={c.field ?? ''}
                onChange={(v: string) => change(c.index, { field: v || null, unit: amount(v) ? (c.unit ?? '万元') : undefined })}
                options={[{ value: '', label: t('（不导入）', '(leave out)') }, ...proposal.fields.map((f) => ({ value: f.field, label: t(f.zh, f.en) }))]}
              />
            ),
          },
          {
            title: t('单位', 'Unit'),
            width: 110,
            render: (_, c) =>
              amount(c.field) ? (
                <Select
                  aria-label={t(`“${c.label}”的单位`, `Unit of “${c.label}”`)}
                  style={{ width: 90 }}
                  value={c.unit ?? '万元'}
                  onChange={(v: string) => change(c.index, { unit: v })}
                  options={UNITS.map((u) => ({ value: u, label: u }))}
                />
              ) : null,
          },
          {
            title: t('识别可信度', 'Confidence'),
            width: 120,
            // Plain text, not coloured tags: the words carry the meaning, and stay readable (contrast) on any theme.
            render: (_, c) =>
              !c.field ? (
                t('未对应', 'unmapped')
              ) : c.confidence >= 1 ? (
                t('确定', 'certain')
              ) : (
                <Typography.Text strong>{t(`待确认（${Math.round(c.confidence * 100)}%）`, `to confirm (${Math.round(c.confidence * 100)}%)`)}</Typography.Text>
              ),
          },
        ]}
      />
      <Button type={proposal.needsConfirmation ? 'primary' : 'default'} style={{ marginTop: 12 }} loading={busy} onClick={() => onConfirm(columns)}>
        {proposal.needsConfirmation ? t('确认列对应关系并检查', 'Confirm the mapping and check') : t('保存修改后的列对应关系并检查', 'Save the changed mapping and check')}
      </Button>
    </div>
  );
}
