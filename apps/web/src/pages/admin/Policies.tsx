import { Button, Card, Space, Table, Tag, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import { ErrorView } from '../../desk/ErrorView';
import { FormDialog } from '../../desk/FormDialog';
import { get, patch, post } from '../../desk/http';
import { BLOCKER_CATEGORIES } from '../../desk/names';
import { formatDateTime, useT } from '../../desk/shim';
import { usePaged } from '../../desk/usePaged';

type ResponseTime = string | { unit: string; amount?: number; iso?: string };
interface Policy {
  id: string;
  name: string;
  category: string | null;
  severity: string;
  automatic: boolean;
  rungs: { rung: string; responseTime: ResponseTime }[];
  ladderId: string | null;
  repeatEvery: string | null;
  reopenWithin: string | null;
  version: number;
  updatedAt: string;
}
interface Ladder {
  id: string;
  name: string;
  isDefault: boolean;
  rungs: { key: string; name: { zh: string; en: string }; members: { kind: string } }[];
}

const RUNGS_EXAMPLE = JSON.stringify(
  [
    { rung: 'unit', responseTime: { unit: 'workingDays', amount: 5 } },
    { rung: 'liaison', responseTime: { unit: 'workingDays', amount: 3 } },
    { rung: 'county', responseTime: { unit: 'workingDays', amount: 2 } },
  ],
  null,
  2,
);
const LADDER_EXAMPLE = JSON.stringify(
  [
    { key: 'unit', name: { zh: '责任单位', en: 'responsible unit' }, members: { kind: 'responsible_unit' } },
    { key: 'county', name: { zh: '县委县政府', en: 'county committee' }, members: { kind: 'county_committee' } },
  ],
  null,
  2,
);

function time(r: ResponseTime, t: (zh: string, en: string) => string): string {
  if (typeof r === 'string') return r;
  if (r.unit === 'workingDays') return t(`${r.amount}个工作日`, `${r.amount} working days`);
  if (r.unit === 'workingHours') return t(`${r.amount}个工作小时`, `${r.amount} working hours`);
  return r.iso ?? JSON.stringify(r);
}

/** Ladders and escalation policies (督办层级与规则): who is told at each rung, and how long each rung has. */
export default function Policies() {
  const { t, lang } = useT();
  const list = usePaged<Policy>('/escalation-policies');
  const [ladders, setLadders] = useState<Ladder[]>([]);
  const [ladderError, setLadderError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ kind: 'policy' | 'ladder' } | { kind: 'edit' | 'apply'; policy: Policy } | null>(null);
  const loadLadders = () => get<Ladder[]>('/ladders').then(setLadders, setLadderError);
  useEffect(() => {
    void loadLadders();
  }, []);
  const ladderName = (id: string | null) => ladders.find((l) => l.id === id)?.name ?? (id ? id.slice(0, 8) : t('默认层级', 'Default ladder'));
  const done = () => {
    setDialog(null);
    void list.reload();
  };
  return (
    <div>
      <Card
        size="small"
        title={t('督办层级', 'Ladders')}
        extra={
          <Button onClick={() => setDialog({ kind: 'ladder' })} type="primary">
            {t('新建层级', 'New ladder')}
          </Button>
        }
        style={{ marginBottom: 16 }}
      >
        <ErrorView error={ladderError} />
        <Table<Ladder>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={ladders}
          columns={[
            { title: t('名称', 'Name'), key: 'n', render: (_, l) => `${l.name}${l.isDefault ? t('（默认）', ' (default)') : ''}` },
            { title: t('各级', 'Rungs'), key: 'r', render: (_, l) => l.rungs.map((r) => <Tag key={r.key}>{lang === 'en' ? r.name.en : r.name.zh}</Tag>) },
          ]}
        />
      </Card>
      <Space style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('督办规则', 'Escalation policies')}
        </Typography.Title>
        <Button type="primary" onClick={() => setDialog({ kind: 'policy' })}>
          {t('新建规则', 'New policy')}
        </Button>
      </Space>
      <ErrorView error={list.error} />
      <Table<Policy>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={list.pagination}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name' },
          { title: t('问题类别', 'Category'), key: 'c', render: (_, p) => (p.category ? (BLOCKER_CATEGORIES[p.category] ?? p.category) : t('（默认）', '(default)')) },
          { title: t('紧急程度', 'Severity'), key: 's', render: (_, p) => (p.severity === 'urgent' ? <Tag color="#cf1322">{t('紧急', 'Urgent')}</Tag> : t('一般', 'Normal')) },
          { title: t('层级', 'Ladder'), key: 'l', render: (_, p) => ladderName(p.ladderId) },
          {
            title: t('各级时限', 'Time per rung'),
            key: 'r',
            render: (_, p) =>
              p.rungs.map((r) => (
                <Tag key={r.rung}>
                  {r.rung}：{time(r.responseTime, t)}
                </Tag>
              )),
          },
          { title: t('版本', 'Version'), key: 'v', render: (_, p) => `v${p.version} · ${formatDateTime(p.updatedAt)}` },
          {
            title: t('操作', 'Actions'),
            key: 'a',
            render: (_, p) => (
              <Space size={4}>
                <Button size="small" onClick={() => setDialog({ kind: 'edit', policy: p })} aria-label={`${t('修改', 'Edit')}：${p.name}`}>
                  {t('修改', 'Edit')}
                </Button>
                <Button size="small" onClick={() => setDialog({ kind: 'apply', policy: p })} aria-label={`${t('应用到未办结问题', 'Apply to open matters')}：${p.name}`}>
                  {t('应用到未办结问题', 'Apply to open matters')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {dialog?.kind === 'policy' && (
        <FormDialog
          title={t('新建规则', 'New policy')}
          initial={{ severity: 'normal', automatic: true, rungs: RUNGS_EXAMPLE }}
          fields={[
            { name: 'name', label: ['名称', 'Name'], placeholder: '征迁（一般）' },
            {
              name: 'category',
              label: ['问题类别（留空为该紧急程度的默认规则）', 'Category (empty: the default of its severity)'],
              kind: 'select',
              options: Object.entries(BLOCKER_CATEGORIES).map(([value, label]) => ({ value, label })),
            },
            {
              name: 'severity',
              label: ['紧急程度', 'Severity'],
              kind: 'select',
              options: [
                { value: 'normal', label: t('一般', 'Normal') },
                { value: 'urgent', label: t('紧急', 'Urgent') },
              ],
            },
            { name: 'automatic', label: ['新问题自动适用', 'Chosen automatically'], kind: 'bool' },
            { name: 'ladderId', label: ['督办层级', 'Ladder'], kind: 'select', options: ladders.map((l) => ({ value: l.id, label: l.name })) },
            { name: 'rungs', label: ['各级时限（JSON）', 'Rungs (JSON)'], kind: 'json' },
            { name: 'repeatEvery', label: ['顶级逾期后重复提醒间隔', 'Repeat at the top rung every'], placeholder: 'P7D' },
            { name: 'reopenWithin', label: ['办结后可重开期限', 'May be reopened within'], placeholder: 'P30D' },
          ]}
          submit={(v) => post('/escalation-policies', v)}
          onDone={done}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'edit' && (
        <FormDialog
          title={`${t('修改规则（新版本适用于新问题）', 'Edit (a new version, for new matters)')}：${dialog.policy.name}`}
          initial={{
            rungs: JSON.stringify(dialog.policy.rungs, null, 2),
            repeatEvery: dialog.policy.repeatEvery ?? undefined,
            reopenWithin: dialog.policy.reopenWithin ?? undefined,
          }}
          fields={[
            { name: 'rungs', label: ['各级时限（JSON）', 'Rungs (JSON)'], kind: 'json' },
            { name: 'repeatEvery', label: ['顶级逾期后重复提醒间隔', 'Repeat at the top rung every'] },
            { name: 'reopenWithin', label: ['办结后可重开期限', 'May be reopened within'] },
            { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' },
          ]}
          submit={(v) => patch(`/escalation-policies/${dialog.policy.id}`, v)}
          onDone={done}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'apply' && (
        <FormDialog
          title={`${t('应用到未办结问题', 'Apply to open matters')}：${dialog.policy.name}`}
          fields={[{ name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' }]}
          submit={(v) => post<{ id: string }>(`/escalation-policies/${dialog.policy.id}/apply`, v)}
          onDone={(r) => {
            void message.info(t(`已开始后台任务 ${r.id}`, `Background job ${r.id} started`));
            done();
          }}
          onCancel={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'ladder' && (
        <FormDialog
          title={t('新建层级', 'New ladder')}
          initial={{ rungs: LADDER_EXAMPLE }}
          fields={[
            { name: 'name', label: ['名称', 'Name'], placeholder: '市级督办层级' },
            {
              name: 'rungs',
              label: ['各级（JSON）', 'Rungs (JSON)'],
              kind: 'json',
              help: [
                'members.kind：responsible_unit、responsible_unit_head、department_staff、unit_leader_in_charge、project_liaison、county_committee、role、people',
                'members.kind: responsible_unit, responsible_unit_head, department_staff, unit_leader_in_charge, project_liaison, county_committee, role, people',
              ],
            },
          ]}
          submit={(v) => post('/ladders', v)}
          onDone={() => {
            setDialog(null);
            void loadLadders();
          }}
          onCancel={() => setDialog(null)}
        />
      )}
    </div>
  );
}
