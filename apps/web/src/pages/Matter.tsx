/**
 * The matter page (问题/督办事项), read top to bottom as its story (web.md): what and where, where it
 * is on its ladder, due when (a live countdown in its colour), what this person may do now, which
 * numbered notices were sent, and every event with who, when and why.
 */
import { Alert, Button, Card, Descriptions, Space, Spin, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { apiFetch, get } from '../api';
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import { Countdown } from '../components/Countdown';
import { BLOCKER_CATEGORY_NAMES, COLOUR_HEX, DEFAULT_LADDER, EVENT_NAMES, RUNG_NAMES, SEVERITY_NAMES, nameOf, type ZhEn } from '../components/labels';
import { MatterActions } from '../components/MatterActions';
import { RefusalAlert } from '../components/RefusalAlert';
import { A11yTheme } from '../components/A11yTheme';

interface MatterEvent {
  id: string;
  seq: number;
  type: string;
  fromRung: string | null;
  toRung: string | null;
  actor: string;
  actorName: string;
  details: Record<string, unknown>;
  documentNo: string | null;
  reason: string | null;
  dueAt: string | null;
  at: string;
}

interface Matter {
  id: string;
  projectId: string;
  projectName?: string;
  responsibleUnitId: string;
  responsibleUnitName?: string;
  category: string;
  severity: string;
  title: string;
  description: string;
  reportedAt: string;
  status: 'open' | 'resolved';
  rung: string;
  rungIndex: number;
  dueAt: string | null;
  warnAt?: string | null;
  provisional?: boolean;
  overdueAtTop: boolean;
  resolution: string | null;
  resolvedAt: string | null;
  colour: 'green' | 'yellow' | 'red' | null;
  ladder?: { key: string; name: ZhEn }[] | null;
  policyRungs?: { rung: string; responseTime: unknown }[];
  acknowledgedBy?: string[];
  extension?: { requestedBy: string; until: string; reason: string; at: string } | null;
  reopenUntil?: string | null;
  events: MatterEvent[];
}

interface NoticeForm {
  documentNo: string;
  issuedAt: string;
  rung: string;
  rungName: ZhEn;
  fromRung: string | null;
  noticeId: string;
  downloadable: boolean;
  formPath: string;
}

/** A policy's response time in words: 5个工作日, 8个工作小时, PT2M as 2分钟. */
export function responseTimeText(rt: unknown, lang: 'zh' | 'en'): string {
  if (!rt) return '';
  if (typeof rt === 'string') return isoText(rt, lang);
  const r = rt as { unit?: string; amount?: number; iso?: string };
  if (r.unit === 'workingDays') return lang === 'en' ? `${r.amount} working days` : `${r.amount}个工作日`;
  if (r.unit === 'workingHours') return lang === 'en' ? `${r.amount} working hours` : `${r.amount}个工作小时`;
  if (r.iso) return isoText(r.iso, lang);
  return '';
}

function isoText(iso: string, lang: 'zh' | 'en'): string {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const [, d, h, min, s] = m;
  const zh = [d && `${d}天`, h && `${h}小时`, min && `${min}分钟`, s && `${s}秒`].filter(Boolean).join('');
  const en = [d && `${d}d`, h && `${h}h`, min && `${min}min`, s && `${s}s`].filter(Boolean).join(' ');
  return lang === 'en' ? en : zh;
}

const EVENT_COLOUR: Record<string, string> = {
  escalated: 'red',
  overdue_at_top: 'red',
  repeat_reminder: 'red',
  reminder: 'orange',
  remind: 'orange',
  resolved: 'green',
  extension_granted: 'green',
  acknowledged: 'blue',
};

async function downloadForm(path: string, name: string) {
  const res = await apiFetch('GET', path);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.pdf`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function MatterPage() {
  const { id } = useParams<{ id: string }>();
  const { t, lang } = useI18n();
  const [matter, setMatter] = useState<Matter | null>(null);
  const [forms, setForms] = useState<NoticeForm[] | null>(null);
  const [unitNames, setUnitNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const zhen = (n: ZhEn) => (lang === 'en' ? n.en : n.zh);

  const loadForms = useCallback(() => {
    if (id)
      get<NoticeForm[]>(`/blockers/${id}/forms`)
        .then(setForms)
        .catch(() => setForms([]));
  }, [id]);

  const load = useCallback(async () => {
    if (!id) return;
    try {
      setMatter(await get<Matter>(`/blockers/${id}`));
      setError(null);
      loadForms();
    } catch (e) {
      setError(e);
    }
  }, [id, loadForms]);

  useEffect(() => {
    void load();
  }, [load]);

  // Units by name: the responsible unit, and those a transfer named.
  useEffect(() => {
    if (!matter) return;
    const ids = new Set<string>([matter.responsibleUnitId]);
    for (const e of matter.events) for (const k of ['fromUnitId', 'toUnitId']) if (typeof e.details?.[k] === 'string') ids.add(e.details[k] as string);
    const missing = [...ids].filter((u) => !(u in unitNames));
    if (!missing.length) return;
    void Promise.all(missing.map((u) => get<{ id: string; name: string }>(`/org-units/${u}`).catch(() => ({ id: u, name: '' })))).then((units) =>
      setUnitNames((prev) => ({ ...prev, ...Object.fromEntries(units.map((u) => [u.id, u.name])) })),
    );
  }, [matter, unitNames]);

  if (error && !matter) return <RefusalAlert error={error} />;
  if (!matter) return <Spin aria-label={t('加载中', 'Loading')} />;

  const ladder = matter.ladder?.length ? matter.ladder : DEFAULT_LADDER;
  const rungName = (key: string | null) => (key ? zhen(ladder.find((r) => r.key === key)?.name ?? nameOf(RUNG_NAMES, key)) : '');
  const responseTimes = new Map((matter.policyRungs ?? []).map((r) => [r.rung, r.responseTime]));
  const open = matter.status === 'open';
  const current = matter.rungIndex;
  const unitName = matter.responsibleUnitName || unitNames[matter.responsibleUnitId] || '';

  const steps = ladder.map((r, i) => {
    const status = !open
      ? i <= current
        ? 'finish'
        : 'wait'
      : i < current
        ? 'finish'
        : i === current
          ? matter.colour === 'red' || matter.overdueAtTop
            ? 'error'
            : 'process'
          : 'wait';
    const rt = responseTimeText(responseTimes.get(r.key), lang);
    return {
      title: zhen(r.name),
      status: status as 'finish' | 'process' | 'error' | 'wait',
      description: (
        <span>
          {rt ? `${t('办理时限', 'Response time')} ${rt}` : null}
          {i === current && open ? (
            <strong style={{ display: 'block' }} aria-current="step">
              {t('当前层级', 'Current rung')}
            </strong>
          ) : null}
        </span>
      ),
    };
  });

  const eventText = (e: MatterEvent) => {
    const d = e.details ?? {};
    const parts: string[] = [];
    if (e.type === 'escalated' && e.toRung) parts.push(`${rungName(e.fromRung)} → ${rungName(e.toRung)}`);
    if (typeof d.until === 'string') parts.push(`${t('时限至', 'until')} ${formatTime(d.until, lang)}`);
    if (e.type === 'transferred') parts.push(`${t('转至', 'to')} ${unitNames[d.toUnitId as string] || (d.toUnitName as string) || ''}`);
    if (e.dueAt && ['reported', 'escalated', 'reopened', 'due_recomputed', 'extension_granted', 'transferred', 'policy_applied'].includes(e.type))
      parts.push(`${t('办理时限', 'due')} ${formatTime(e.dueAt, lang)}`);
    const deputy = d.deputyFor as { name?: string } | undefined;
    if (deputy?.name) parts.push(t(`代${deputy.name}办理`, `as deputy for ${deputy.name}`));
    return parts.join('；');
  };

  return (
    <A11yTheme>
      <article aria-labelledby="matter-title" style={{ maxWidth: 1100 }}>
        <Typography.Title level={1} id="matter-title" style={{ fontSize: 24 }}>
          {matter.title}
        </Typography.Title>
        <Space wrap style={{ marginBottom: 12 }}>
          <Tag color="blue">{zhen(nameOf(BLOCKER_CATEGORY_NAMES, matter.category))}</Tag>
          <Tag color={matter.severity === 'urgent' ? 'red' : 'default'}>{zhen(nameOf(SEVERITY_NAMES, matter.severity))}</Tag>
          <Tag color={open ? 'processing' : 'success'}>{open ? t('办理中', 'Open') : t('已办结', 'Resolved')}</Tag>
          {matter.overdueAtTop ? <Tag color="red">{t('最高层级超期', 'Overdue at the top rung')}</Tag> : null}
        </Space>

        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('概况', 'What and where')}</h2>} size="small" style={{ marginBottom: 16 }}>
          <Descriptions column={{ xs: 1, md: 2 }} size="small">
            <Descriptions.Item label={t('项目', 'Project')}>
              <Link to={`/projects/${matter.projectId}`}>{matter.projectName || t('查看项目', 'Open the project')}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('责任单位', 'Responsible unit')}>{unitName || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('报告时间', 'Reported')}>{formatTime(matter.reportedAt, lang)}</Descriptions.Item>
            {matter.resolvedAt ? <Descriptions.Item label={t('办结时间', 'Resolved')}>{formatTime(matter.resolvedAt, lang)}</Descriptions.Item> : null}
            <Descriptions.Item label={t('问题描述', 'Description')} span={2}>
              {matter.description || '—'}
            </Descriptions.Item>
            {matter.resolution ? (
              <Descriptions.Item label={t('办理结果', 'Resolution')} span={2}>
                {matter.resolution}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>

        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('督办层级', 'The ladder')}</h2>} size="small" style={{ marginBottom: 16 }}>
          <div data-testid="ladder">
            <Steps current={current} items={steps} responsive />
          </div>
        </Card>

        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('办理时限', 'Due')}</h2>} size="small" style={{ marginBottom: 16 }}>
          <Space orientation="vertical">
            <span>
              {t('当前层级', 'Current rung')}：<strong>{rungName(matter.rung)}</strong>，{t('时限', 'due')}{' '}
              <strong style={{ color: matter.colour ? COLOUR_HEX[matter.colour] : undefined }}>{formatTime(matter.dueAt, lang)}</strong>
              {matter.provisional ? <Tag style={{ marginLeft: 8 }}>{t('暂定（当年节假日未公布）', 'provisional (holidays not yet published)')}</Tag> : null}
            </span>
            <Countdown dueAt={matter.dueAt} warnAt={matter.warnAt} running={open} large />
            {matter.extension ? (
              <Alert
                type="warning"
                showIcon
                title={t(
                  `已申请延期至 ${formatTime(matter.extension.until, 'zh')}，待上一层级审批`,
                  `Extension to ${formatTime(matter.extension.until, 'en')} requested, awaiting the rung above`,
                )}
                description={matter.extension.reason}
              />
            ) : null}
          </Space>
        </Card>

        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('办理', 'Act')}</h2>} size="small" style={{ marginBottom: 16 }}>
          <MatterActions
            matter={matter}
            onChanged={(m: Matter) => {
              setMatter(m);
              // An escalation numbers a notice: show it.
              loadForms();
            }}
          />
        </Card>

        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('督办通知单', 'Escalation notices')}</h2>} size="small" style={{ marginBottom: 16 }}>
          {downloadError ? <RefusalAlert error={downloadError} onClose={() => setDownloadError(null)} /> : null}
          <div data-testid="notices">
            <Table<NoticeForm>
              size="small"
              rowKey="documentNo"
              pagination={false}
              loading={forms === null}
              dataSource={forms ?? []}
              locale={{ emptyText: t('尚未升级督办，未发出督办通知单', 'Not escalated: no numbered notice yet') }}
              columns={[
                { title: t('文号', 'Number'), dataIndex: 'documentNo', render: (v: string) => <strong>{v}</strong> },
                { title: t('督办至', 'To'), render: (_: unknown, f) => zhen(f.rungName) },
                { title: t('发出时间', 'Issued'), dataIndex: 'issuedAt', render: (v: string) => formatTime(v, lang) },
                {
                  title: t('通知单', 'Form'),
                  render: (_: unknown, f) =>
                    f.downloadable ? (
                      <Button size="small" onClick={() => downloadForm(f.formPath, f.documentNo).catch(setDownloadError)} aria-label={`${t('下载PDF', 'PDF')}：${f.documentNo}`}>
                        {t('下载PDF', 'PDF')}
                      </Button>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          </div>
        </Card>

        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('办理经过', 'What happened')}</h2>} size="small">
          <div data-testid="timeline">
            <Timeline
              items={matter.events.map((e) => ({
                key: e.id,
                color: EVENT_COLOUR[e.type] ?? 'gray',
                title: formatTime(e.at, lang),
                content: (
                  <div>
                    <strong>{zhen(nameOf(EVENT_NAMES, e.type))}</strong>
                    {e.documentNo ? (
                      <Tag color="red" style={{ marginLeft: 8 }}>
                        {e.documentNo}
                      </Tag>
                    ) : null}
                    <span style={{ marginLeft: 8 }}>{e.actor === 'system' ? t('系统', 'system') : e.actorName}</span>
                    {eventText(e) ? <div>{eventText(e)}</div> : null}
                    {e.reason ? <div style={{ whiteSpace: 'pre-wrap' }}>“{e.reason}”</div> : null}
                  </div>
                ),
              }))}
            />
          </div>
        </Card>
      </article>
    </A11yTheme>
  );
}
