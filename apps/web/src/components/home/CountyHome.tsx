/**
 * 督办总览 (county leader): red matters counted by rung and unit — each count a
 * link that lists those matters —, the matters at the county rung, and this
 * week's bulletin in brief.
 */
import { Alert, Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, get } from '../../api';
import { ColourTag, formatTime, toColour } from '../../format';
import { errorText, useI18n } from '../../i18n';
import { MatterList, type MatterRow } from '../MatterList';
import { useNames } from '../names';
import { rungName, rungOrder } from '../rungs';
import { allPages, useLoad } from '../useLoad';

export function CountyHome() {
  const { t, lang } = useI18n();
  const names = useNames();
  const [params] = useSearchParams();
  const open = useLoad(() => allPages((page) => get<{ items: MatterRow[]; total: number }>(`/blockers?status=open&pageSize=200&page=${page}`)), []);
  const bulletin = useLoad(
    () =>
      get<any>('/bulletins/current').catch((e) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [],
  );
  const rows = open.data ?? [];
  const red = rows.filter((m) => toColour(m.colour) === 'red');
  const rungs = [...new Set(red.map((m) => m.rung))].sort((a, b) => rungOrder(a) - rungOrder(b));
  const units = [...new Set(red.map((m) => m.responsibleUnitId))];
  const link = (q: Record<string, string>) => `/?${new URLSearchParams(q)}#selected`;
  const count = (n: number, q: Record<string, string>, label: string) =>
    n ? (
      <Link to={link(q)} aria-label={`${label}：${n}`} style={{ color: '#cf1322', fontWeight: 700 }}>
        {n}
      </Link>
    ) : (
      <span style={{ color: '#999' }}>0</span>
    );

  const sel = { colour: params.get('colour'), rung: params.get('rung'), unit: params.get('unit') };
  const selected =
    sel.colour || sel.rung || sel.unit
      ? rows.filter((m) => (!sel.colour || toColour(m.colour) === sel.colour) && (!sel.rung || m.rung === sel.rung) && (!sel.unit || m.responsibleUnitId === sel.unit))
      : null;
  const byColour = (c: string) => rows.filter((m) => toColour(m.colour) === c).length;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('督办总览', 'Oversight overview')}
      </Typography.Title>
      {open.error ? <Alert type="error" showIcon title={errorText(open.error, lang)} /> : null}
      <Row gutter={[12, 12]}>
        {(['red', 'yellow', 'green'] as const).map((c) => (
          <Col xs={8} key={c}>
            <Card size="small" loading={open.loading}>
              <Link to={link({ colour: c })}>
                <Statistic
                  title={<ColourTag colour={c} label={t({ red: '逾期', yellow: '临期', green: '正常' }[c], { red: 'Overdue', yellow: 'Due soon', green: 'On time' }[c])} />}
                  value={byColour(c)}
                />
              </Link>
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('红色事项：按层级和责任单位', 'Red matters by rung and unit')} loading={open.loading}>
        {units.length === 0 ? (
          <Typography.Text type="secondary">{t('没有逾期事项', 'No overdue matters')}</Typography.Text>
        ) : (
          <Table
            size="small"
            pagination={false}
            scroll={{ x: true }}
            rowKey="unit"
            dataSource={units.map((u) => ({ unit: u }))}
            columns={[
              { title: t('责任单位', 'Unit'), dataIndex: 'unit', render: (u: string) => names.unit(u) },
              ...rungs.map((r) => ({
                title: rungName(r, t),
                key: r,
                render: (_: unknown, row: { unit: string }) =>
                  count(
                    red.filter((m) => m.rung === r && m.responsibleUnitId === row.unit).length,
                    { colour: 'red', rung: r, unit: row.unit },
                    `${names.unit(row.unit)} ${rungName(r, t)} ${t('红色事项', 'red matters')}`,
                  ),
              })),
              {
                title: t('合计', 'Total'),
                key: 'total',
                render: (_: unknown, row: { unit: string }) =>
                  count(
                    red.filter((m) => m.responsibleUnitId === row.unit).length,
                    { colour: 'red', unit: row.unit },
                    `${names.unit(row.unit)} ${t('红色事项合计', 'red matters in all')}`,
                  ),
              },
            ]}
          />
        )}
      </Card>
      {selected ? (
        <Card size="small" id="selected" title={t(`所选事项（${selected.length}）`, `Selected matters (${selected.length})`)} extra={<Link to="/">{t('清除', 'Clear')}</Link>}>
          <MatterList rows={selected} />
        </Card>
      ) : null}
      <Card size="small" title={t('县级层面事项', 'Matters at the county rung')}>
        <MatterList rows={rows.filter((m) => m.rung === 'county')} loading={open.loading} empty={t('暂无提交县级协调的事项', 'No matters at the county rung')} />
      </Card>
      <BulletinSummary data={bulletin.data} loading={bulletin.loading} error={bulletin.error} />
    </Space>
  );

  function BulletinSummary({ data, loading, error }: { data: any; loading: boolean; error: unknown }) {
    const d = data?.data;
    return (
      <Card size="small" title={t('本周周报', "This week's bulletin")} loading={loading} extra={<Link to="/bulletins">{t('查看周报', 'Open bulletins')}</Link>}>
        {error ? <Alert type="error" showIcon title={errorText(error, lang)} /> : null}
        {!d ? (
          <Typography.Text type="secondary">{t('本周周报尚未生成', 'No bulletin yet this week')}</Typography.Text>
        ) : (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text>
              {data.number} · {t('截至', 'as of')} {formatTime(data.asOf, lang)}
            </Typography.Text>
            <Row gutter={[12, 12]}>
              <Col xs={12} md={6}>
                <Statistic title={t('项目数', 'Projects')} value={d.county?.projects ?? 0} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('投资完成率', 'Investment completed')} value={d.county?.completedShare ?? 0} suffix="%" />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('滞后项目', 'Lagging projects')} value={d.laggards?.length ?? 0} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('未办结事项', 'Open matters')} value={d.openBlockers?.total ?? 0} />
              </Col>
            </Row>
          </Space>
        )}
      </Card>
    );
  }
}
