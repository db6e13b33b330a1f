/** 本单位事项 (unit staff / head): the unit's open matters by colour, red first, and its projects. */
import { Alert, Card, Space, Tabs, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { get } from '../../api';
import { useAuth } from '../../auth';
import { ColourTag, toColour } from '../../format';
import { errorText, useI18n } from '../../i18n';
import { MatterList, type MatterRow } from '../MatterList';
import { useNames } from '../names';
import { allPages, useLoad } from '../useLoad';

export function UnitHome() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const names = useNames();
  const unitId = session?.person.orgUnitId ?? null;
  const open = useLoad(
    () => (unitId ? allPages((page) => get<{ items: MatterRow[]; total: number }>(`/blockers?status=open&unitId=${unitId}&pageSize=200&page=${page}`)) : Promise.resolve([])),
    [unitId],
  );
  const projects = useLoad(
    () =>
      unitId
        ? get<{ items: { id: string; name: string; code: string }[]; total: number }>(`/projects?responsibleUnitId=${unitId}&pageSize=50`)
        : Promise.resolve({ items: [], total: 0 }),
    [unitId],
  );
  const rows = open.data ?? [];
  const of = (c: string) => rows.filter((m) => toColour(m.colour) === c);
  const tab = (c: string, zh: string, en: string) => ({
    key: c,
    label: (
      <Space size={4}>
        <ColourTag colour={c} label={t(zh, en)} />
        {of(c).length}
      </Space>
    ),
    children: <MatterList rows={of(c)} loading={open.loading} />,
  });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('本单位事项', "My unit's matters")}
        {unitId ? <Typography.Text type="secondary"> · {names.unit(unitId)}</Typography.Text> : null}
      </Typography.Title>
      {open.error ? <Alert type="error" showIcon title={errorText(open.error, lang)} /> : null}
      <Card size="small">
        <Tabs
          defaultActiveKey={of('red').length ? 'red' : 'all'}
          items={[
            { key: 'all', label: `${t('全部', 'All')} ${rows.length}`, children: <MatterList rows={rows} loading={open.loading} /> },
            tab('red', '逾期', 'Overdue'),
            tab('yellow', '临期', 'Due soon'),
            tab('green', '正常', 'On time'),
          ]}
        />
      </Card>
      <Card size="small" title={t('本单位项目', "My unit's projects")} loading={projects.loading} extra={<Link to="/battle-map">{t('挂图作战', 'Battle map')}</Link>}>
        {(projects.data?.items ?? []).length === 0 ? (
          <Typography.Text type="secondary">{t('暂无项目', 'No projects')}</Typography.Text>
        ) : (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {projects.data!.items.map((p) => (
              <li key={p.id}>
                <Link to={`/projects/${p.id}`}>{p.name}</Link> <Typography.Text type="secondary">{p.code}</Typography.Text>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </Space>
  );
}
