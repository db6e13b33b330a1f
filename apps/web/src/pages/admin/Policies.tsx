import { Button, Space, Tag, message } from 'antd';
import { Suspense, lazy } from 'react';
import { Link, Route, Routes } from 'react-router-dom';
import { AdminTable, useList } from '../../components/AdminTable';
import { patch, post } from '../../desk/http';
import { BLOCKER_CATEGORY_NAMES, nameOf } from '../../components/labels';
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
export interface Ladder {
  id: string;
  name: string;
  isDefault: boolean;
  rungs: { key: string; name: { zh: string; en: string }; members: { kind: string; role?: string; orgUnitId?: string; personIds?: string[] } }[];
}

const LadderEdit = lazy(() => import('./LadderEdit'));

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

/** Ladders and escalation policies (督办层级与规则); a ladder is edited on its own page (/admin/policies/ladders/:id). */
export default function Policies() {
  return (
    <Suspense fallback={null}>
      <Routes>
        <Route path="ladders/:id" element={<LadderEdit />} />
        <Route path="*" element={<PolicyLists />} />
      </Routes>
    </Suspense>
  );
}

type PolicyDialog = 'create' | { kind: 'edit' | 'apply'; policy: Policy };

/** The ladders (who is told at each rung) and the policies (how long each rung has). */
function PolicyLists() {
  const { t, lang } = useT();
  const list = usePaged<Policy>('/escalation-policies');
  const ladders = useList<Ladder>('/ladders');
  const ladderName = (id: string | null) => ladders.items.find((l) => l.id === id)?.name ?? (id ? id.slice(0, 8) : t('默认层级', 'Default ladder'));
  return (
    <div>
      <AdminTable<Ladder, 'create'>
        title={t('督办层级', 'Ladders')}
        level={5}
        list={ladders}
        create={{ label: t('新建层级', 'New ladder'), dialog: 'create' }}
        columns={() => [
          { title: t('名称', 'Name'), key: 'n', render: (_, l) => `${l.name}${l.isDefault ? t('（默认）', ' (default)') : ''}` },
          { title: t('各级', 'Rungs'), key: 'r', render: (_, l) => l.rungs.map((r) => <Tag key={r.key}>{lang === 'en' ? r.name.en : r.name.zh}</Tag>) },
          {
            title: t('操作', 'Actions'),
            key: 'a',
            render: (_, l) => (
              <Link to={`/admin/policies/ladders/${l.id}`} aria-label={`${t('修改层级', 'Edit ladder')}：${l.name}`}>
                {t('修改层级', 'Edit ladder')}
              </Link>
            ),
          },
        ]}
        form={() => ({
          title: t('新建层级', 'New ladder'),
          initial: { rungs: LADDER_EXAMPLE },
          fields: [
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
          ],
          submit: (v) => post('/ladders', v),
        })}
      />
      <AdminTable<Policy, PolicyDialog>
        title={t('督办规则', 'Escalation policies')}
        list={list}
        create={{ label: t('新建规则', 'New policy'), dialog: 'create' }}
        columns={(open) => [
          { title: t('名称', 'Name'), dataIndex: 'name' },
          {
            title: t('问题类别', 'Category'),
            key: 'c',
            render: (_, p) => (p.category ? t(nameOf(BLOCKER_CATEGORY_NAMES, p.category).zh, nameOf(BLOCKER_CATEGORY_NAMES, p.category).en) : t('（默认）', '(default)')),
          },
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
                <Button size="small" onClick={() => open({ kind: 'edit', policy: p })} aria-label={`${t('修改', 'Edit')}：${p.name}`}>
                  {t('修改', 'Edit')}
                </Button>
                <Button size="small" onClick={() => open({ kind: 'apply', policy: p })} aria-label={`${t('应用到未办结问题', 'Apply to open matters')}：${p.name}`}>
                  {t('应用到未办结问题', 'Apply to open matters')}
                </Button>
              </Space>
            ),
          },
        ]}
        form={(d) =>
          d === 'create'
            ? {
                title: t('新建规则', 'New policy'),
                initial: { severity: 'normal', automatic: true, rungs: RUNGS_EXAMPLE },
                fields: [
                  { name: 'name', label: ['名称', 'Name'], placeholder: '征迁（一般）' },
                  {
                    name: 'category',
                    label: ['问题类别（留空为该紧急程度的默认规则）', 'Category (empty: the default of its severity)'],
                    kind: 'select',
                    options: Object.entries(BLOCKER_CATEGORY_NAMES).map(([value, n]) => ({ value, label: t(n.zh, n.en) })),
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
                  { name: 'ladderId', label: ['督办层级', 'Ladder'], kind: 'select', options: ladders.items.map((l) => ({ value: l.id, label: l.name })) },
                  { name: 'rungs', label: ['各级时限（JSON）', 'Rungs (JSON)'], kind: 'json' },
                  { name: 'repeatEvery', label: ['顶级逾期后重复提醒间隔', 'Repeat at the top rung every'], placeholder: 'P7D' },
                  { name: 'reopenWithin', label: ['办结后可重开期限', 'May be reopened within'], placeholder: 'P30D' },
                ],
                submit: (v) => post('/escalation-policies', v),
              }
            : d.kind === 'edit'
              ? {
                  title: `${t('修改规则（新版本适用于新问题）', 'Edit (a new version, for new matters)')}：${d.policy.name}`,
                  initial: {
                    rungs: JSON.stringify(d.policy.rungs, null, 2),
                    repeatEvery: d.policy.repeatEvery ?? undefined,
                    reopenWithin: d.policy.reopenWithin ?? undefined,
                  },
                  fields: [
                    { name: 'rungs', label: ['各级时限（JSON）', 'Rungs (JSON)'], kind: 'json' },
                    { name: 'repeatEvery', label: ['顶级逾期后重复提醒间隔', 'Repeat at the top rung every'] },
                    { name: 'reopenWithin', label: ['办结后可重开期限', 'May be reopened within'] },
                    { name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' },
                  ],
                  submit: (v) => patch(`/escalation-policies/${d.policy.id}`, v),
                }
              : {
                  title: `${t('应用到未办结问题', 'Apply to open matters')}：${d.policy.name}`,
                  fields: [{ name: 'reason', label: ['理由', 'Reason'], kind: 'textarea' }],
                  submit: (v) => post<{ id: string }>(`/escalation-policies/${d.policy.id}/apply`, v),
                  after: (r: { id: string }) => void message.info(t(`已开始后台任务 ${r.id}`, `Background job ${r.id} started`)),
                }
        }
      />
    </div>
  );
}
