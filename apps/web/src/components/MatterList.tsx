/**
 * Matters (督办事项) as a list: colour first (red first), title linking to the
 * matter page, project, unit, rung, due time. Reads well at phone width too.
 */
import type { ReactNode } from 'react';
import { List, Space, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { ColourTag, colourRank, formatTime } from '../format';
import { useI18n } from '../i18n';
import { useNames } from './names';
import { rungName } from './rungs';

export interface MatterRow {
  id: string;
  title: string;
  projectId: string;
  projectName?: string | null;
  responsibleUnitId: string;
  responsibleUnitName?: string | null;
  unitName?: string | null;
  rung: string;
  dueAt: string | null;
  colour?: string | null;
  overdueAtTop?: boolean;
  status: string;
}

export function sortRedFirst<T extends { colour?: string | null; dueAt?: string | null }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => colourRank(a.colour) - colourRank(b.colour) || String(a.dueAt ?? '9').localeCompare(String(b.dueAt ?? '9')));
}

export function MatterList({ rows, loading, empty, action }: { rows: MatterRow[]; loading?: boolean; empty?: string; action?: (m: MatterRow) => ReactNode }) {
  const { t, lang } = useI18n();
  const names = useNames();
  return (
    <List
      loading={loading}
      locale={{ emptyText: <Typography.Text type="secondary">{empty ?? t('暂无事项', 'No matters')}</Typography.Text> }}
      dataSource={sortRedFirst(rows)}
      renderItem={(m) => (
        <List.Item key={m.id} actions={action ? [action(m)] : undefined}>
          <List.Item.Meta
            title={
              <Space wrap size={4}>
                <ColourTag colour={m.colour} lang={lang} />
                <Link to={`/matters/${m.id}`}>{m.title}</Link>
              </Space>
            }
            description={
              <Typography.Text type="secondary">
                {names.project(m.projectId, m.projectName)} · {names.unit(m.responsibleUnitId, m.responsibleUnitName ?? m.unitName)} · {rungName(m.rung, t)} · {t('期限', 'due')}{' '}
                {formatTime(m.dueAt, lang)}
              </Typography.Text>
            }
          />
        </List.Item>
      )}
    />
  );
}
