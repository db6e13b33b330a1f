/**
 * 形象进度 month by month: the progress line, problems and next steps each monthly ledger brought
 * (GET /api/projects/{id}/progress-notes, newest first). History, never overwritten: a leader reading
 * the project sees how the description moved, not only where it stands.
 */
import { Card, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { get } from '../api';
import { formatTime } from '../format';
import { useI18n } from '../i18n';

interface Note {
  id: string;
  year: number;
  month: number;
  progressLine: string;
  problems: string;
  nextSteps: string;
  source: 'ledger_import' | 'manual';
  recordedByName: string | null;
  recordedAt: string;
}

const lines = (text: string) => <span style={{ whiteSpace: 'pre-line' }}>{text || '—'}</span>;

export function ProgressNotes({ projectId, title }: { projectId: string; title: (text: string) => React.ReactNode }) {
  const { t } = useI18n();
  const [notes, setNotes] = useState<Note[] | null>(null);
  useEffect(() => {
    get<Note[]>(`/projects/${projectId}/progress-notes`)
      .then(setNotes)
      .catch(() => setNotes([]));
  }, [projectId]);
  return (
    <Card title={title(t('形象进度（按月）', 'Progress by month'))} size="small" style={{ marginBottom: 16 }} data-testid="progress-notes">
      {notes && !notes.length ? (
        <Typography.Text type="secondary">{t('尚无形象进度记录（随月度台账导入）', 'No progress notes yet (they come with the monthly ledger)')}</Typography.Text>
      ) : (
        <Table<Note>
          rowKey="id"
          size="small"
          loading={notes === null}
          dataSource={notes ?? []}
          pagination={false}
          scroll={{ x: true }}
          columns={[
            { title: t('月份', 'Month'), key: 'm', render: (_, n) => `${n.year}-${String(n.month).padStart(2, '0')}`, width: 90 },
            { title: t('形象进度', 'Progress'), dataIndex: 'progressLine', render: lines },
            { title: t('存在问题', 'Problems'), dataIndex: 'problems', render: lines },
            { title: t('下步计划', 'Next steps'), dataIndex: 'nextSteps', render: lines },
            {
              title: t('记录', 'Recorded'),
              key: 'by',
              render: (_, n) => `${n.recordedByName ?? '—'} ${formatTime(n.recordedAt)}${n.source === 'ledger_import' ? t('（台账导入）', ' (ledger)') : ''}`,
            },
          ]}
        />
      )}
    </Card>
  );
}
