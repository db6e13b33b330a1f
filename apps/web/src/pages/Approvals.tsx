/**
 * 审批工作台: the department's approval items by clock colour, red first, with
 * only the actions the item's state allows; a green-channel project's
 * parallel items side by side.
 */
import { Button, Card, Col, Descriptions, Drawer, Empty, Row, Select, Space, Spin, Table, Tag, Timeline, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ActionDialog } from '../desk/ActionDialog';
import { ACTION_NAMES, STAGE_NAMES, STATUS_NAMES, actionsFor, byColour, colourOf, type ApprovalItem, type DeskAction } from '../desk/approvals';
import { ErrorView } from '../desk/ErrorView';
import { get, type Me, type Page } from '../desk/http';
import { ColourTag, formatDateTime, useT, type Colour } from '../desk/shim';
import { DeskTheme } from '../desk/DeskTheme';

interface Filters {
  status?: string;
  colour?: Colour;
  projectId?: string;
}

/** The department's queue (GET /api/approvals/queue): red first; by default what the department works on now. */
async function loadQueue(f: Filters): Promise<ApprovalItem[]> {
  const qs = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][]);
  qs.set('pageSize', '200');
  return (await get<Page<ApprovalItem>>(`/approvals/queue?${qs}`)).items;
}

interface Overview {
  greenChannel: unknown;
  stages: { stage: string; lanes: ApprovalItem[]; criticalItemId: string | null }[];
}

export default function Approvals() {
  return (
    <DeskTheme>
      <ApprovalsPage />
    </DeskTheme>
  );
}

function ApprovalsPage() {
  const { t } = useT();
  const [me, setMe] = useState<Me | null>(null);
  const [items, setItems] = useState<ApprovalItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filters, setFilters] = useState<Filters>({});
  const [open, setOpen] = useState<ApprovalItem | null>(null);
  const [lanes, setLanes] = useState<{ projectId: string; projectName: string; stage: string; items: ApprovalItem[]; critical: string | null }[]>([]);
  const [acting, setActing] = useState<{ item: ApprovalItem; action: DeskAction } | null>(null);

  const reload = useCallback(async () => {
    try {
      const who = me ?? (await get<Me>('/auth/me'));
      setMe(who);
      const list = await loadQueue(filters);
      setItems([...list].sort(byColour));
      // A green-channel project's items go in parallel: each such project's lanes, every department's, side by side.
      const greenProjects = [...new Set(list.filter((i) => i.green).map((i) => i.projectId))].slice(0, 10);
      const views = await Promise.all(greenProjects.map((id) => get<Overview>(`/projects/${id}/approvals`).catch(() => null)));
      setLanes(
        views.flatMap((v, n) =>
          (v?.stages ?? [])
            .filter((s) => s.lanes.length > 1 && s.lanes.some((i) => list.some((q) => q.id === i.id)))
            .map((s) => ({
              projectId: greenProjects[n],
              projectName: list.find((i) => i.projectId === greenProjects[n])?.projectName ?? '',
              stage: s.stage,
              items: s.lanes,
              critical: s.criticalItemId,
            })),
        ),
      );
      setError(null);
    } catch (e) {
      setError(e);
      setItems([]);
    }
  }, [filters, me]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const head = !!me?.roles?.includes('unit_head');
  const projects = useMemo(() => [...new Map((items ?? []).map((i) => [i.projectId, i.projectName ?? i.projectId])).entries()], [items]);
  const counts = useMemo(() => {
    const c: Record<Colour, number> = { red: 0, yellow: 0, green: 0, grey: 0 };
    for (const i of items ?? []) c[colourOf(i)]++;
    return c;
  }, [items]);

  const done = (updated: ApprovalItem) => {
    setActing(null);
    void message.success(t('已办理', 'Done'));
    setOpen((o) => (o && o.id === updated.id ? { ...o, ...updated } : o));
    void reload();
  };

  const mine = (i: ApprovalItem) => !!me && (i.departmentId === me.orgUnitId || !!me.roles?.includes('project_office'));
  const buttons = (i: ApprovalItem) => {
    const acts = mine(i) && me?.roles?.some((r) => r === 'approval_staff' || r === 'unit_head') ? actionsFor(i, { head }) : [];
    if (!acts.length)
      return (
        <Typography.Text type="secondary">{i.status === 'supplement_requested' ? t('待申请方补正', 'Awaiting the applicant') : t('无可办理事项', 'Nothing to do')}</Typography.Text>
      );
    return (
      <Space wrap size={4}>
        {acts.map((a) => (
          <Button
            key={a}
            size="small"
            type={a === 'approve' ? 'primary' : 'default'}
            danger={a === 'reject'}
            onClick={() => setActing({ item: i, action: a })}
            aria-label={`${t(...ACTION_NAMES[a])}：${i.name}`}
          >
            {t(...ACTION_NAMES[a])}
          </Button>
        ))}
      </Space>
    );
  };

  return (
    <div>
      <Typography.Title level={2}>{t('审批工作台', 'Approvals desk')}</Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        {(['red', 'yellow', 'green'] as Colour[]).map((c) => (
          <Button key={c} type={filters.colour === c ? 'primary' : 'default'} onClick={() => setFilters((f) => ({ ...f, colour: f.colour === c ? undefined : c }))}>
            <ColourTag colour={c} /> {counts[c]}
          </Button>
        ))}
        <Select
          aria-label={t('状态', 'Status')}
          style={{ width: 180 }}
          value={filters.status ?? ''}
          onChange={(v) => setFilters((f) => ({ ...f, status: v || undefined }))}
          options={[
            { value: '', label: t('办理中（默认）', 'In progress (default)') },
            ...Object.entries(STATUS_NAMES)
              .filter(([k]) => k !== 'planned')
              .map(([value, n]) => ({ value, label: t(...n) })),
          ]}
        />
        <Select
          aria-label={t('项目', 'Project')}
          allowClear
          placeholder={t('全部项目', 'All projects')}
          style={{ width: 260 }}
          value={filters.projectId}
          onChange={(v) => setFilters((f) => ({ ...f, projectId: v }))}
          options={projects.map(([value, label]) => ({ value, label }))}
        />
        <Button onClick={() => void reload()}>{t('刷新', 'Refresh')}</Button>
      </Space>
      <ErrorView error={error} />
      {items === null ? (
        <Spin />
      ) : (
        <Table<ApprovalItem>
          rowKey="id"
          dataSource={items}
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: <Empty description={t('本部门暂无审批事项', 'No items for your department')} /> }}
          columns={[
            { title: t('时限', 'Clock'), key: 'colour', width: 90, render: (_, i) => <ColourTag colour={colourOf(i)} /> },
            {
              title: t('事项', 'Item'),
              key: 'name',
              render: (_, i) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(i)}>
                  {i.name}
                </Button>
              ),
            },
            { title: t('项目', 'Project'), key: 'project', render: (_, i) => <Link to={`/projects/${i.projectId}`}>{i.projectName ?? t('查看项目', 'Open project')}</Link> },
            { title: t('阶段', 'Stage'), key: 'stage', render: (_, i) => t(...(STAGE_NAMES[i.stage] ?? [i.stage, i.stage])) },
            {
              title: t('状态', 'Status'),
              key: 'status',
              render: (_, i) => (
                <Space size={2}>
                  {t(...STATUS_NAMES[i.status])}
                  {i.green && <Tag color="#237804">{t('绿色通道', 'Green channel')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('已用/时限（工作日）', 'Used / limit (working days)'),
              key: 'days',
              render: (_, i) => (i.limitDays === null ? '—' : `${i.elapsedDays} / ${i.limitDays}`),
            },
            { title: t('到期', 'Due'), key: 'due', render: (_, i) => formatDateTime(i.dueAt) },
            { title: t('可办理', 'Actions'), key: 'actions', render: (_, i) => buttons(i) },
          ]}
        />
      )}
      {lanes.length > 0 && (
        <section aria-label={t('绿色通道并联审批', 'Green channel: parallel items')}>
          <Typography.Title level={3}>{t('绿色通道并联审批', 'Green channel: parallel items')}</Typography.Title>
          {lanes.map((lane) => (
            <Card
              key={`${lane.projectId}:${lane.stage}`}
              size="small"
              title={`${lane.projectName} · ${t(...(STAGE_NAMES[lane.stage] ?? [lane.stage, lane.stage]))}`}
              extra={<Tag color="#237804">{t('绿色通道', 'Green channel')}</Tag>}
              style={{ marginBottom: 12 }}
            >
              <Row gutter={12} wrap={false} style={{ overflowX: 'auto' }}>
                {lane.items.map((i) => (
                  <Col key={i.id} flex="260px">
                    <Card size="small" title={i.name} extra={<ColourTag colour={colourOf(i)} />} style={i.id === lane.critical ? { borderColor: '#cf1322' } : undefined}>
                      <p style={{ margin: '0 0 4px' }}>
                        {i.department} · {t(...STATUS_NAMES[i.status])}
                      </p>
                      <p style={{ margin: '0 0 8px' }}>
                        {i.limitDays === null ? '—' : t(`已用${i.elapsedDays}/${i.limitDays}个工作日`, `${i.elapsedDays} of ${i.limitDays} working days`)}
                        {i.id === lane.critical ? t('（关键事项）', ' (critical)') : ''}
                      </p>
                      {mine(i) ? buttons(i) : null}
                    </Card>
                  </Col>
                ))}
              </Row>
            </Card>
          ))}
        </section>
      )}
      {open && <ItemDrawer item={open} onClose={() => setOpen(null)} actions={buttons} />}
      {acting && <ActionDialog item={acting.item} action={acting.action} onDone={done} onCancel={() => setActing(null)} />}
    </div>
  );
}

/** One item: its clock, who holds it, what is missing, its history. */
function ItemDrawer({ item, onClose, actions }: { item: ApprovalItem; onClose: () => void; actions: (i: ApprovalItem) => React.ReactNode }) {
  const { t, lang } = useT();
  const [full, setFull] = useState<ApprovalItem | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<ApprovalItem>(`/approval-items/${item.id}`).then(setFull, setError);
  }, [item]);
  const i = { ...item, ...(full ?? {}) };
  return (
    <Drawer open onClose={onClose} title={i.name} size="large">
      <ErrorView error={error} />
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('时限', 'Clock')}>
          <ColourTag colour={colourOf(i)} /> {i.limitDays === null ? '—' : t(`已用${i.elapsedDays}/${i.limitDays}个工作日`, `${i.elapsedDays} of ${i.limitDays} working days`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('状态', 'Status')}>{t(...STATUS_NAMES[i.status])}</Descriptions.Item>
        <Descriptions.Item label={t('当前办理方', 'Held by')}>{i.holder ? (lang === 'en' ? i.holder.en : i.holder.zh) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('到期', 'Due')}>{formatDateTime(i.dueAt)}</Descriptions.Item>
        <Descriptions.Item label={t('审批部门', 'Department')}>{i.department}</Descriptions.Item>
        {i.deficiency && <Descriptions.Item label={t('容缺材料', 'Deficiencies')}>{i.deficiency.missing.join('、')}</Descriptions.Item>}
        {i.decisionReason && <Descriptions.Item label={t('理由', 'Reason')}>{i.decisionReason}</Descriptions.Item>}
        {i.documentNo && <Descriptions.Item label={t('批准文号', 'Document number')}>{i.documentNo}</Descriptions.Item>}
      </Descriptions>
      <div style={{ margin: '16px 0' }}>{actions(i)}</div>
      <Typography.Title level={4}>{t('办理记录', 'History')}</Typography.Title>
      <Timeline
        items={(i.events ?? []).map((e) => ({
          key: e.seq,
          content: (
            <span>
              {formatDateTime(e.at)} · {e.type}
              {e.actorName ? ` · ${e.actorName}` : ''}
              {e.reason ? `：${e.reason}` : ''}
            </span>
          ),
        }))}
      />
    </Drawer>
  );
}
