/**
 * The weekly bulletin (通报, 一周一排序): the ranking, red and black lists,
 * laggards, charts; its official document (.docx, PDF) and .xlsx; earlier issues.
 */
import { Button, Card, Col, Descriptions, Empty, List, Row, Space, Spin, Table, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Chart } from '../desk/Chart';
import { ErrorView } from '../desk/ErrorView';
import { DeskError, download, get, type Page } from '../desk/http';
import { ColourTag, formatDateTime, useT, type Colour } from '../desk/shim';
import { DeskTheme } from '../desk/DeskTheme';

interface ProjectFigure {
  projectId: string;
  code: string;
  name: string;
  unit: string;
  township: string | null;
  liaisonLeaders: string[];
  annualPlan: number;
  completed: number;
  completedShare: number;
  lagPoints: number;
  colour: Colour;
}

interface Bulletin {
  id: string;
  number: string;
  periodStart: string;
  asOf: string;
  generatedAt: string;
  data: {
    timeShare: number;
    county: { projects: number; annualPlan: number; completed: number; completedShare: number; lagPoints: number; colour: Colour };
    ranking: ProjectFigure[];
    redList: ProjectFigure[];
    blackList: ProjectFigure[];
    laggards: ProjectFigure[];
    overdueStages: { projectId: string; name: string; unit: string; stageName: string; dueOn: string; daysOverdue: number }[];
    openBlockers: { total: number; byCategory: { name: string; count: number }[]; byRung: { name: string; count: number }[] };
    overdueMatters: { blockerId: string; title: string; project: string; unit: string; rung: string; daysOverdue: number }[];
    byUnit: { unit: string; projects: number; annualPlan: number; completed: number; completedShare: number; colour: Colour; overdueStages: number; openBlockers: number }[];
  };
}

type Summary = Omit<Bulletin, 'data'>;

export default function Bulletins() {
  return (
    <DeskTheme>
      <BulletinsPage />
    </DeskTheme>
  );
}

function BulletinsPage() {
  const { t } = useT();
  const [id, setId] = useState<string>('current');
  const [b, setB] = useState<Bulletin | null | undefined>(undefined);
  const [issues, setIssues] = useState<Summary[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setB(undefined);
    get<Bulletin>(`/bulletins/${id}`).then(setB, (e) => {
      if (e instanceof DeskError && e.status === 404) setB(null);
      else {
        setError(e);
        setB(null);
      }
    });
  }, [id]);
  useEffect(() => {
    get<Page<Summary>>('/bulletins?pageSize=50').then((p) => setIssues(p.items), setError);
  }, []);

  // The shown issue (current or an earlier one) in each of its files: the workbook, and the official document as .docx and PDF.
  const file = async (ext: 'xlsx' | 'docx' | 'pdf', issue: { id: string; number: string } | null | undefined = b) => {
    try {
      await download(`/bulletins/${issue?.id ?? 'current'}/${ext}`, `${issue?.number ?? 'bulletin'}.${ext}`);
    } catch (e) {
      setError(e);
    }
  };

  const projectColumns = [
    { title: t('名次', 'Rank'), key: 'rank', width: 64, render: (_: unknown, __: ProjectFigure, n: number) => n + 1 },
    { title: t('项目', 'Project'), key: 'name', render: (_: unknown, p: ProjectFigure) => <Link to={`/projects/${p.projectId}`}>{p.name}</Link> },
    { title: t('责任单位', 'Unit'), dataIndex: 'unit' },
    { title: t('包联领导', 'Liaison leaders'), key: 'leaders', render: (_: unknown, p: ProjectFigure) => p.liaisonLeaders.join('、') },
    { title: t('年度计划（万元）', 'Annual plan (10k yuan)'), dataIndex: 'annualPlan' },
    { title: t('完成（万元）', 'Completed'), dataIndex: 'completed' },
    { title: t('完成率', 'Completed share'), key: 'share', render: (_: unknown, p: ProjectFigure) => `${p.completedShare}%` },
    { title: t('滞后（百分点）', 'Behind (points)'), dataIndex: 'lagPoints' },
    { title: t('进度', 'Progress'), key: 'colour', render: (_: unknown, p: ProjectFigure) => <ColourTag colour={p.colour} /> },
  ];

  return (
    <div>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={2}>{b ? b.number : t('周通报', 'Weekly bulletin')}</Typography.Title>
        <Space wrap>
          <Button type="primary" onClick={() => void file('docx')} disabled={!b}>
            {t('下载通报（.docx）', 'Download bulletin (.docx)')}
          </Button>
          <Button onClick={() => void file('pdf')} disabled={!b}>
            {t('下载通报（PDF）', 'Download bulletin (PDF)')}
          </Button>
          <Button onClick={() => void file('xlsx')} disabled={!b}>
            {t('下载Excel（.xlsx）', 'Download .xlsx')}
          </Button>
        </Space>
      </Space>
      <ErrorView error={error} />
      {b === undefined && <Spin />}
      {b === null && (
        <Empty
          description={t(
            '尚无通报：每周一由定时任务生成，或由项目办在“定时任务”中立即运行',
            'No bulletin yet: the weekly schedule makes one, or the project office runs it now under Schedules',
          )}
        />
      )}
      {b && (
        <Row gutter={16}>
          <Col xs={24} xl={18}>
            <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('统计截至', 'As of')}>{formatDateTime(b.asOf)}</Descriptions.Item>
              <Descriptions.Item label={t('序时进度', 'Time-proportional')}>{b.data.timeShare}%</Descriptions.Item>
              <Descriptions.Item label={t('全县完成率', 'County completed')}>
                {b.data.county.completedShare}% <ColourTag colour={b.data.county.colour} />
              </Descriptions.Item>
              <Descriptions.Item label={t('项目数', 'Projects')}>{b.data.county.projects}</Descriptions.Item>
              <Descriptions.Item label={t('滞后项目', 'Laggards')}>{b.data.laggards.length}</Descriptions.Item>
              <Descriptions.Item label={t('未办结问题', 'Open matters')}>{b.data.openBlockers.total}</Descriptions.Item>
            </Descriptions>
            <Row gutter={16}>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('完成率与序时进度', 'Completed share against time')}>
                  <Chart
                    label={t('项目完成率柱状图', 'Bar chart of completed shares')}
                    option={{
                      tooltip: { trigger: 'axis' },
                      grid: { left: 120, right: 16, top: 16, bottom: 24 },
                      xAxis: { type: 'value', min: 0, max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10), axisLabel: { formatter: '{value}%' } },
                      yAxis: { type: 'category', inverse: true, axisLabel: { width: 110, overflow: 'truncate' }, data: b.data.ranking.slice(0, 15).map((p) => p.name) },
                      series: [
                        {
                          type: 'bar',
                          data: b.data.ranking
                            .slice(0, 15)
                            .map((p) => ({ value: p.completedShare, itemStyle: { color: { green: '#389e0d', yellow: '#d48806', red: '#cf1322', grey: '#8c8c8c' }[p.colour] } })),
                          markLine: { symbol: 'none', data: [{ xAxis: b.data.timeShare, name: t('序时进度', 'Time') }] },
                        },
                      ],
                    }}
                  />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('未办结问题（按类别）', 'Open matters by category')}>
                  <Chart
                    label={t('问题类别饼图', 'Pie chart of matters by category')}
                    option={{
                      tooltip: { trigger: 'item' },
                      legend: { bottom: 0 },
                      series: [{ type: 'pie', radius: ['35%', '65%'], data: b.data.openBlockers.byCategory.map((c) => ({ name: c.name, value: c.count })) }],
                    }}
                  />
                </Card>
              </Col>
            </Row>
            <Tabs
              items={[
                {
                  key: 'ranking',
                  label: t('排名', 'Ranking'),
                  children: (
                    <Table
                      aria-label={t('项目排名', 'Ranking')}
                      rowKey="projectId"
                      size="small"
                      dataSource={b.data.ranking}
                      columns={projectColumns}
                      pagination={{ pageSize: 20 }}
                    />
                  ),
                },
                {
                  key: 'lists',
                  label: t('红黑榜', 'Red and black lists'),
                  children: (
                    <Row gutter={16}>
                      <Col xs={24} md={12}>
                        <Card size="small" title={t('红榜（进度最快）', 'Red list (fastest)')}>
                          <Table rowKey="projectId" size="small" pagination={false} dataSource={b.data.redList} columns={projectColumns.slice(0, 3).concat(projectColumns[6])} />
                        </Card>
                      </Col>
                      <Col xs={24} md={12}>
                        <Card size="small" title={t('黑榜（进度最慢）', 'Black list (slowest)')}>
                          <Table rowKey="projectId" size="small" pagination={false} dataSource={b.data.blackList} columns={projectColumns.slice(0, 3).concat(projectColumns[6])} />
                        </Card>
                      </Col>
                    </Row>
                  ),
                },
                {
                  key: 'laggards',
                  label: `${t('滞后项目', 'Laggards')} (${b.data.laggards.length})`,
                  children: <Table rowKey="projectId" size="small" dataSource={b.data.laggards} columns={projectColumns.slice(1)} pagination={{ pageSize: 20 }} />,
                },
                {
                  key: 'stages',
                  label: `${t('逾期节点', 'Overdue stages')} (${b.data.overdueStages.length})`,
                  children: (
                    <Table
                      rowKey={(s) => `${s.projectId}:${s.stageName}`}
                      size="small"
                      dataSource={b.data.overdueStages}
                      columns={[
                        { title: t('项目', 'Project'), key: 'p', render: (_, s) => <Link to={`/projects/${s.projectId}`}>{s.name}</Link> },
                        { title: t('责任单位', 'Unit'), dataIndex: 'unit' },
                        { title: t('节点', 'Stage'), dataIndex: 'stageName' },
                        { title: t('计划完成', 'Due on'), dataIndex: 'dueOn' },
                        { title: t('逾期（天）', 'Days overdue'), dataIndex: 'daysOverdue' },
                      ]}
                    />
                  ),
                },
                {
                  key: 'matters',
                  label: `${t('逾期问题', 'Overdue matters')} (${b.data.overdueMatters.length})`,
                  children: (
                    <Table
                      rowKey="blockerId"
                      size="small"
                      dataSource={b.data.overdueMatters}
                      columns={[
                        { title: t('问题', 'Matter'), key: 'm', render: (_, m) => <Link to={`/matters/${m.blockerId}`}>{m.title}</Link> },
                        { title: t('项目', 'Project'), dataIndex: 'project' },
                        { title: t('责任单位', 'Unit'), dataIndex: 'unit' },
                        { title: t('督办层级', 'Rung'), dataIndex: 'rung' },
                        { title: t('逾期（天）', 'Days overdue'), dataIndex: 'daysOverdue' },
                      ]}
                    />
                  ),
                },
                {
                  key: 'units',
                  label: t('单位排名', 'Units'),
                  children: (
                    <Table
                      rowKey="unit"
                      size="small"
                      dataSource={b.data.byUnit}
                      columns={[
                        { title: t('单位', 'Unit'), dataIndex: 'unit' },
                        { title: t('项目数', 'Projects'), dataIndex: 'projects' },
                        { title: t('完成率', 'Completed'), key: 's', render: (_, u) => `${u.completedShare}%` },
                        { title: t('进度', 'Progress'), key: 'c', render: (_, u) => <ColourTag colour={u.colour} /> },
                        { title: t('逾期节点', 'Overdue stages'), dataIndex: 'overdueStages' },
                        { title: t('未办结问题', 'Open matters'), dataIndex: 'openBlockers' },
                      ]}
                    />
                  ),
                },
              ]}
            />
          </Col>
          <Col xs={24} xl={6}>
            <Card size="small" title={t('往期通报', 'Earlier issues')}>
              <List
                dataSource={issues}
                renderItem={(s) => (
                  <List.Item
                    actions={[
                      <Button key="docx" size="small" type="link" aria-label={`${s.number} .docx`} onClick={() => void file('docx', s)}>
                        .docx
                      </Button>,
                      <Button key="pdf" size="small" type="link" aria-label={`${s.number} PDF`} onClick={() => void file('pdf', s)}>
                        PDF
                      </Button>,
                    ]}
                  >
                    <Button
                      type="link"
                      style={{ padding: 0, whiteSpace: 'normal', textAlign: 'start' }}
                      aria-current={s.id === b.id ? 'page' : undefined}
                      onClick={() => setId(s.id)}
                    >
                      {s.number}
                    </Button>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        </Row>
      )}
      {b === null && issues.length > 0 && (
        <Card size="small" title={t('往期通报', 'Earlier issues')}>
          {issues.map((s) => (
            <Button key={s.id} type="link" onClick={() => setId(s.id)}>
              {s.number}
            </Button>
          ))}
        </Card>
      )}
    </div>
  );
}
