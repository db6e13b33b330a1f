/**
 * The project page: the milestone plan as a Gantt with today's line and stage colours, each stage's
 * completion and evidence, replanning requests, investment against time-proportional progress
 * (序时进度), the project's blockers (red first) and its approval items. "报告问题" reports a blocker.
 */
import { Button, Card, Col, Descriptions, Form, Input, Modal, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { get, post } from '../api';
import { useAuth } from '../auth';
import { ColourTag, colourRank, formatDay, formatTime, todayInZone } from '../format';
import { useI18n } from '../i18n';
import { InvestmentChart, type InvestmentData } from '../components/InvestmentChart';
import { ProgressNotes } from '../components/ProgressNotes';
import {
  APPROVAL_STATUS_NAMES,
  BLOCKER_CATEGORY_NAMES,
  COLOUR_HEX,
  PROJECT_CATEGORY_NAMES,
  REPLAN_STATUS_NAMES,
  RUNG_NAMES,
  STAGE_NAMES,
  STAGE_STATE_NAMES,
  nameOf,
  type ZhEn,
} from '../components/labels';
import { ProjectGantt, type StageRow } from '../components/ProjectGantt';
import { RefusalAlert } from '../components/RefusalAlert';
import { ReportBlockerButton } from '../components/ReportBlocker';
import { ReportCompletionButton } from '../components/ReportCompletion';
import { ReplanRequestButton } from '../components/ReplanRequestForm';
import { StageActions } from '../components/StageActions';
import { A11yTheme } from '../components/A11yTheme';

interface Project {
  id: string;
  code: string;
  name: string;
  category: string;
  responsibleUnitId: string;
  responsibleUnitName?: string;
  townshipId: string | null;
  townshipName?: string | null;
  totalInvestment: string;
  liaisonLeaders: { id: string; name: string; title?: string }[];
}

interface Evidence {
  title: string;
  number?: string;
  issuedBy?: string;
  issuedOn?: string;
}
type Stage = StageRow & {
  evidence: Evidence[];
  reported: { byName: string; at: string; completedOn: string; evidence: Evidence[]; note: string } | null;
  notApplicable: string | null;
  scheduleBlockerId: string | null;
};
interface Plan {
  plan: {
    revision: number;
    currentStage: string | null;
    completedAt?: string | null;
    pendingReplan: { reason: string; requestedByName: string; requestedAt: string } | null;
  } | null;
  stages: Stage[];
  replanRequests: {
    id: string;
    plan: { stage: string; dueOn: string }[];
    reason: string;
    requestedByName: string;
    requestedAt: string;
    status: string;
    decidedByName: string | null;
    decidedAt: string | null;
    decisionReason: string | null;
  }[];
}
interface MatterRow {
  id: string;
  title: string;
  category: string;
  status: string;
  rung: string;
  dueAt: string | null;
  colour: 'green' | 'yellow' | 'red' | null;
}
interface ApprovalLane {
  id: string;
  name: string;
  status: string;
  department: string;
  required: boolean;
  limitDays: number | null;
  elapsedDays: number;
  remainingDays: number | null;
  overdue: boolean;
  dueAt: string | null;
  documentNo: string | null;
}
interface Approvals {
  greenChannel: { grantedAt: string; grantedBy: string; reason: string } | null;
  stages: { stage: string; done: boolean; lanes: ApprovalLane[]; criticalItemId: string | null }[];
}

const h2 = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

/** 序时进度 and the lag, the rule of libs/domain/src/lifecycle.ts (yellow from 10 points behind, red beyond 30); the day is the organisation's. */
export function lagOf(annualPlan: number, completed: number, nowMs: number) {
  const [y, m, dd] = todayInZone(nowMs).split('-').map(Number);
  const days = (Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1)) / 86_400_000;
  const ordinal = Math.floor((Date.UTC(y, m - 1, dd) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
  const timeShare = Math.round((ordinal / days) * 10_000) / 100;
  const completedShare = annualPlan > 0 ? Math.round((completed / annualPlan) * 10_000) / 100 : 100;
  const lagPoints = Math.round(Math.max(0, timeShare - completedShare) * 100) / 100;
  const colour = lagPoints > 30 ? 'red' : lagPoints >= 10 ? 'yellow' : 'green';
  return { timeShare, completedShare, lagPoints, colour };
}

function ReplanDecision({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [grant, setGrant] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const decide = async (v: { reason?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await post(`/projects/${projectId}/replan-requests/decision`, { grant, reason: v.reason ?? '' });
      setGrant(null);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Space>
        <Button type="primary" onClick={() => setGrant(true)}>
          {t('批准调整计划', 'Grant the new plan')}
        </Button>
        <Button danger onClick={() => setGrant(false)}>
          {t('不予批准', 'Refuse')}
        </Button>
      </Space>
      <Modal
        open={grant !== null}
        title={grant ? t('批准调整计划', 'Grant the new plan') : t('不予批准', 'Refuse')}
        okText={t('提交', 'Submit')}
        cancelText={t('取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setGrant(null)}
        destroyOnHidden
      >
        {error ? <RefusalAlert error={error} /> : null}
        <Form form={form} name="replan-decision" layout="vertical" onFinish={decide}>
          <Form.Item name="reason" label={t('审批意见', 'Reason')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export default function ProjectPage() {
  const { id } = useParams<{ id: string }>();
  const { t, lang } = useI18n();
  const { hasRole, session } = useAuth();
  const zhen = (n: ZhEn) => (lang === 'en' ? n.en : n.zh);
  const [project, setProject] = useState<Project | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [investment, setInvestment] = useState<InvestmentData | null>(null);
  const [matters, setMatters] = useState<MatterRow[] | null>(null);
  const [approvals, setApprovals] = useState<Approvals | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});

  const loadPlan = useCallback(() => {
    if (id)
      get<Plan>(`/projects/${id}/plan`)
        .then(setPlan)
        .catch(() => setPlan({ plan: null, stages: [], replanRequests: [] }));
  }, [id]);

  useEffect(() => {
    if (!id) return;
    get<Project>(`/projects/${id}`)
      .then((p) => {
        setProject(p);
        const unitIds = [p.responsibleUnitName ? null : p.responsibleUnitId, p.townshipName !== undefined ? null : p.townshipId].filter((x): x is string => !!x);
        void Promise.all(unitIds.map((u) => get<{ id: string; name: string }>(`/org-units/${u}`).catch(() => ({ id: u, name: '' })))).then((us) =>
          setNames(Object.fromEntries(us.map((u) => [u.id, u.name]))),
        );
      })
      .catch(setError);
    loadPlan();
    get<InvestmentData>(`/projects/${id}/investment`)
      .then(setInvestment)
      .catch(() => setInvestment({ plans: [], reports: [] }));
    get<{ items: MatterRow[] }>(`/blockers?projectId=${id}&pageSize=100&sort=dueAt`)
      .then((p) => setMatters([...p.items].sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1) || colourRank(a.colour) - colourRank(b.colour))))
      .catch(() => setMatters([]));
    get<Approvals>(`/projects/${id}/approvals`)
      .then(setApprovals)
      .catch(() => setApprovals({ greenChannel: null, stages: [] }));
  }, [id, loadPlan]);

  if (error && !project) return <RefusalAlert error={error} />;
  if (!project) return <Spin aria-label={t('加载中', 'Loading')} />;

  const year = Number(todayInZone().slice(0, 4));
  const annual = investment?.plans.find((p) => p.year === year)?.amount ?? null;
  const latest = investment?.reports.filter((r) => r.year === year).sort((a, b) => b.month - a.month || b.reportedAt.localeCompare(a.reportedAt))[0];
  const lag = annual !== null ? lagOf(annual, latest?.completed ?? 0, Date.now()) : null;
  const pending = plan?.plan?.pendingReplan;

  return (
    <A11yTheme>
      <article aria-labelledby="project-title" style={{ maxWidth: 1200 }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
          <Typography.Title level={1} id="project-title" style={{ fontSize: 24, margin: 0 }}>
            {project.name}
          </Typography.Title>
          <ReportBlockerButton projectId={project.id} projectName={project.name} />
        </Space>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ margin: '12px 0' }}>
          <Descriptions.Item label={t('项目代码', 'Code')}>{project.code}</Descriptions.Item>
          <Descriptions.Item label={t('项目类别', 'Category')}>{zhen(nameOf(PROJECT_CATEGORY_NAMES, project.category))}</Descriptions.Item>
          <Descriptions.Item label={t('责任单位', 'Responsible unit')}>{project.responsibleUnitName || names[project.responsibleUnitId] || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('所在乡镇', 'Township')}>{project.townshipName || (project.townshipId && names[project.townshipId]) || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('包联领导', 'Liaison leaders')}>{project.liaisonLeaders.map((l) => l.name).join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('总投资（万元）', 'Total investment (10k CNY)')}>{Number(project.totalInvestment).toLocaleString()}</Descriptions.Item>
        </Descriptions>

        <Card
          title={h2(t('里程碑计划（倒排工期）', 'Milestone plan'))}
          extra={plan?.plan ? <ReportCompletionButton projectId={project.id} responsibleUnitId={project.responsibleUnitId} stages={plan.stages} onDone={loadPlan} /> : null}
          size="small"
          style={{ marginBottom: 16 }}
        >
          {plan === null ? (
            <Spin />
          ) : !plan.plan ? (
            <p>{t('尚未制定里程碑计划。', 'No milestone plan yet.')}</p>
          ) : (
            <>
              <ProjectGantt stages={plan.stages} />
              <Space wrap style={{ margin: '4px 0 12px' }} aria-label={t('图例', 'Legend')}>
                <ColourTag colour="green" label={t('按期 / 已完成', 'on time / done')} />
                <ColourTag colour="yellow" label={t('临期预警', 'due soon')} />
                <ColourTag colour="red" label={t('已超期', 'overdue')} />
                <ColourTag colour="grey" label={t('不适用', 'not applicable')} />
                <Tag style={{ borderStyle: 'dashed' }}>{t('未开始', 'not started')}</Tag>
                <span>◆ {t('实际完成日', 'completed on')}</span>
              </Space>
              <Table<Stage>
                size="small"
                rowKey="stage"
                pagination={false}
                dataSource={plan.stages}
                columns={[
                  { title: t('阶段', 'Stage'), dataIndex: 'stage', render: (s: string) => zhen(nameOf(STAGE_NAMES, s)) },
                  {
                    title: t('状态', 'State'),
                    render: (_: unknown, s) => (
                      <Space>
                        {zhen(nameOf(STAGE_STATE_NAMES, s.state))}
                        {s.colour ? <ColourTag colour={s.colour} lang={lang} /> : s.state === 'n/a' ? <ColourTag colour="grey" lang={lang} /> : null}
                        {s.reported ? <Tag color="processing">{t('待项目办确认', 'awaiting confirmation')}</Tag> : null}
                        {s.scheduleBlockerId ? <Link to={`/matters/${s.scheduleBlockerId}`}>{t('进度滞后督办', 'schedule matter')}</Link> : null}
                      </Space>
                    ),
                  },
                  { title: t('计划完成', 'Due'), dataIndex: 'dueOn', render: (v: string | null) => formatDay(v, lang) },
                  { title: t('实际完成', 'Completed'), dataIndex: 'completedOn', render: (v: string | null) => formatDay(v, lang) },
                  ...(hasRole('project_office')
                    ? [{ title: t('操作', 'Actions'), key: 'actions', render: (_: unknown, s: Stage) => <StageActions projectId={project.id} stage={s} onDone={loadPlan} /> }]
                    : []),
                  {
                    title: t('完成佐证', 'Evidence'),
                    render: (_: unknown, s) => {
                      const ev = s.evidence?.length ? s.evidence : (s.reported?.evidence ?? []);
                      if (s.notApplicable) return `${t('不适用', 'n/a')}：${s.notApplicable}`;
                      return ev.length
                        ? ev.map((e, i) => (
                            <div key={i}>
                              {e.title}
                              {e.number ? `（${e.number}）` : ''}
                              {e.issuedBy ? ` ${e.issuedBy}` : ''}
                              {e.issuedOn ? ` ${e.issuedOn}` : ''}
                            </div>
                          ))
                        : '—';
                    },
                  },
                ]}
              />
            </>
          )}
        </Card>

        <Card
          title={h2(t('计划调整申请', 'Replanning requests'))}
          extra={
            plan?.plan && !pending && !plan.plan.completedAt ? (
              <ReplanRequestButton projectId={project.id} responsibleUnitId={project.responsibleUnitId} stages={plan.stages} onDone={loadPlan} />
            ) : null
          }
          size="small"
          style={{ marginBottom: 16 }}
        >
          {pending && (hasRole('project_office') || project.liaisonLeaders.some((l) => l.id === session?.person.id)) ? (
            <div style={{ marginBottom: 12 }}>
              <p>
                {t('待审批：', 'Pending: ')}
                {pending.requestedByName}，{formatTime(pending.requestedAt, lang)}：{pending.reason}
              </p>
              <ReplanDecision projectId={project.id} onDone={loadPlan} />
            </div>
          ) : null}
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={plan?.replanRequests ?? []}
            locale={{ emptyText: t('无计划调整申请', 'No requests') }}
            columns={[
              { title: t('申请人', 'By'), dataIndex: 'requestedByName' },
              { title: t('申请时间', 'When'), dataIndex: 'requestedAt', render: (v: string) => formatTime(v, lang) },
              { title: t('理由', 'Reason'), dataIndex: 'reason' },
              {
                title: t('新计划', 'New plan'),
                dataIndex: 'plan',
                render: (p: { stage: string; dueOn: string }[]) => (p ?? []).map((s) => `${zhen(nameOf(STAGE_NAMES, s.stage))} ${s.dueOn || '—'}`).join('；'),
              },
              {
                title: t('结果', 'Outcome'),
                render: (_: unknown, r: Plan['replanRequests'][number]) =>
                  `${zhen(nameOf(REPLAN_STATUS_NAMES, r.status))}${r.decidedByName ? `（${r.decidedByName}${r.decisionReason ? `：${r.decisionReason}` : ''}）` : ''}`,
              },
            ]}
          />
        </Card>

        <Card title={h2(t(`${year}年投资完成与序时进度`, `Investment ${year} against time-proportional progress`))} size="small" style={{ marginBottom: 16 }}>
          {investment === null ? (
            <Spin />
          ) : annual === null ? (
            <p>{t('尚未下达年度计划投资。', 'No annual investment plan yet.')}</p>
          ) : (
            <>
              <Row gutter={16}>
                <Col xs={12} md={6}>
                  <Statistic title={t('年度计划（万元）', 'Annual plan (10k CNY)')} value={annual} />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic title={t('累计完成（万元）', 'Completed (10k CNY)')} value={latest?.completed ?? 0} />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic title={t('完成率 / 序时进度', 'Completed / time share')} value={`${lag!.completedShare}% / ${lag!.timeShare}%`} />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic
                    title={t('滞后序时进度', 'Behind time')}
                    value={`${lag!.lagPoints} ${t('个百分点', 'points')}`}
                    styles={{ content: { color: COLOUR_HEX[lag!.colour as 'red'] } }}
                    suffix={<ColourTag colour={lag!.colour} lang={lang} />}
                  />
                </Col>
              </Row>
              <InvestmentChart data={investment} year={year} />
            </>
          )}
        </Card>

        <ProgressNotes projectId={project.id} title={h2} />

        <Card id="blockers" data-testid="project-blockers" title={h2(t('问题与督办', 'Blockers'))} size="small" style={{ marginBottom: 16 }}>
          <Table<MatterRow>
            size="small"
            rowKey="id"
            loading={matters === null}
            dataSource={matters ?? []}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: t('无问题', 'No blockers') }}
            columns={[
              {
                title: t('颜色', 'Colour'),
                dataIndex: 'colour',
                render: (c: string | null, m) => (m.status === 'open' ? <ColourTag colour={c} lang={lang} /> : <Tag>{t('已办结', 'resolved')}</Tag>),
              },
              { title: t('问题', 'Blocker'), dataIndex: 'title', render: (v: string, m) => <Link to={`/matters/${m.id}`}>{v}</Link> },
              { title: t('类别', 'Category'), dataIndex: 'category', render: (c: string) => zhen(nameOf(BLOCKER_CATEGORY_NAMES, c)) },
              { title: t('当前层级', 'Rung'), dataIndex: 'rung', render: (r: string) => zhen(nameOf(RUNG_NAMES, r)) },
              { title: t('办理时限', 'Due'), dataIndex: 'dueAt', render: (v: string | null, m) => (m.status === 'open' ? formatTime(v, lang) : '—') },
            ]}
          />
        </Card>

        <Card
          title={h2(t('审批事项', 'Approval items'))}
          size="small"
          extra={approvals?.greenChannel ? <Tag color="green">{t('绿色通道', 'Green channel')}</Tag> : null}
          style={{ marginBottom: 16 }}
        >
          {approvals === null ? (
            <Spin />
          ) : !approvals.stages.length ? (
            <p>{t('无审批事项。', 'No approval items.')}</p>
          ) : (
            approvals.stages.map((s) => (
              <div key={s.stage} style={{ marginBottom: 12 }}>
                <h3 style={{ fontSize: 14 }}>
                  {zhen(nameOf(STAGE_NAMES, s.stage))} {s.done ? <Tag color="green">{t('已完成', 'done')}</Tag> : null}
                </h3>
                <Table<ApprovalLane>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={s.lanes}
                  columns={[
                    {
                      title: t('事项', 'Item'),
                      dataIndex: 'name',
                      render: (v: string, a) => (
                        <span>
                          {v}
                          {a.id === s.criticalItemId ? (
                            <Tag color="purple" style={{ marginLeft: 6 }}>
                              {t('关键事项', 'critical')}
                            </Tag>
                          ) : null}
                        </span>
                      ),
                    },
                    { title: t('审批部门', 'Department'), dataIndex: 'department' },
                    { title: t('状态', 'Status'), dataIndex: 'status', render: (v: string) => zhen(nameOf(APPROVAL_STATUS_NAMES, v)) },
                    {
                      title: t('用时 / 时限（工作日）', 'Used / limit (working days)'),
                      render: (_: unknown, a) => (
                        <span style={{ color: a.overdue ? COLOUR_HEX.red : undefined }}>
                          {a.elapsedDays} / {a.limitDays ?? '—'}
                          {a.overdue ? ` ${t('已超时', 'overdue')}` : ''}
                        </span>
                      ),
                    },
                    { title: t('批准文号', 'Document'), dataIndex: 'documentNo', render: (v: string | null) => v ?? '—' },
                  ]}
                />
              </div>
            ))
          )}
        </Card>
      </article>
    </A11yTheme>
  );
}
