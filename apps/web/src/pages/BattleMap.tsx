/**
 * 挂图作战 — the battle map: every project the person may see × the five stages, as a coloured
 * grid, red first (the server sorts), filtered in the server and fetched one page at a time
 * (20,000 projects: the first page is one request of pageSize rows, nothing more). Filters live
 * in the address, so every count is a link (a red count opens ?colour=red). `?screen=1` is the
 * meeting-room screen (大屏): full screen, dark, large type, refreshing itself every 60 s.
 */
import { Button, Select, Space, Table, Tag, Typography } from 'antd';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { get } from '../api';
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import { COLOUR_FILL, COLOUR_HEX, PROJECT_CATEGORY_NAMES, STAGES, STAGE_NAMES, STAGE_STATE_NAMES, TEXT_ON_FILL, nameOf } from '../components/labels';
import { RefusalAlert } from '../components/RefusalAlert';
import { A11yTheme } from '../components/A11yTheme';
import { FILTERS, battleMapQuery, takePrefetched } from './battle-map-query';

/**
 * ECharts is ~200 KB gzipped: the grid (what the person came for) is drawn without waiting for it, and the
 * chart's code is asked for once the counts are there (evaluating it earlier held the first rows back).
 */
const Chart = lazy(() => import('../components/Chart').then((m) => ({ default: m.Chart })));

type C = 'red' | 'yellow' | 'green';
interface MapStage {
  stage: string;
  state: 'pending' | 'active' | 'done' | 'n/a';
  dueOn: string | null;
  completedOn: string | null;
  colour: C | null;
  awaitingConfirmation: boolean;
}
interface MapItem {
  id: string;
  code: string;
  name: string;
  category: string;
  categoryName?: string;
  colour: C | null;
  unit: { id: string; name: string };
  township: { id: string; name: string } | null;
  currentStage: string | null;
  liaisonLeaders: { id: string; name: string }[];
  stages: MapStage[];
  openBlockers: { id: string; title: string; colour: C | null }[];
  investment: { completedShare: number; timeShare: number; lagPoints: number; colour: C } | null;
}
interface MapAnswer {
  asOf: string;
  summary: { red: number; yellow: number; green: number; none: number };
  items: MapItem[];
  total: number;
  page: number;
  pageSize: number;
}
type Option = { value: string; label: string };

const REFRESH_MS = 60_000;
const COLOUR_KEYS = ['red', 'yellow', 'green', 'none'] as const;

/** Light tints with dark text on the normal page; strong fills on the dark screen (both ≥ 4.5:1). */
const TINT: Record<C | 'grey', { bg: string; fg: string }> = {
  red: { bg: '#fff1f0', fg: '#a8071a' },
  yellow: { bg: '#fffbe6', fg: '#874d00' },
  green: { bg: '#f6ffed', fg: '#237804' },
  grey: { bg: '#f5f5f5', fg: '#595959' },
};

function stageColour(s: MapStage): C | 'grey' | null {
  if (s.state === 'n/a') return 'grey';
  if (s.state === 'done') return 'green';
  if (s.state === 'active') return s.colour ?? 'green';
  return null;
}

/** A Performance API mark, set once per document (the first time only: what a page load measures). */
function markOnce(name: string): void {
  if (typeof performance !== 'undefined' && performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}

/**
 * The filters' choices, asked for once the first page is there (`ready`): four requests ahead of the map's
 * own slowed its first answer. Not on the meeting-room screen, which has no filters.
 */
function useOptions(ready: boolean) {
  const [opts, setOpts] = useState<{ townships: Option[]; units: Option[]; leaders: Option[] }>({ townships: [], units: [], leaders: [] });
  useEffect(() => {
    if (!ready) return;
    const units = (kind: string) =>
      get<{ items: { id: string; name: string }[] }>(`/org-units?kind=${kind}&pageSize=200`)
        .then((p) => p.items.map((u) => ({ value: u.id, label: u.name })))
        .catch(() => [] as Option[]);
    const people = (role: string) =>
      get<{ items: { id: string; name: string; title?: string }[] }>(`/people?role=${role}&pageSize=200`)
        .then((p) => p.items.map((u) => ({ value: u.id, label: u.title ? `${u.name}（${u.title}）` : u.name })))
        .catch(() => [] as Option[]);
    void Promise.all([units('township'), units('department'), people('liaison_leader'), people('county_leader')]).then(([townships, depts, liaison, county]) => {
      const leaders = new Map([...liaison, ...county].map((o) => [o.value, o]));
      setOpts({ townships, units: depts, leaders: [...leaders.values()] });
    });
  }, [ready]);
  return opts;
}

export default function BattleMapPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const { screen, page, pageSize, query } = useMemo(() => battleMapQuery(params), [params]);
  const [data, setData] = useState<MapAnswer | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const options = useOptions(!screen && (data !== null || error !== null));
  const request = useRef(0);
  const zhen = (n: { zh: string; en: string }) => (lang === 'en' ? n.en : n.zh);

  const load = useCallback(async () => {
    const mine = ++request.current;
    setLoading(true);
    try {
      // On the first load, the answer App.tsx asked for with the page's code (same query), else a request.
      const answer = await (takePrefetched<MapAnswer>(query) ?? get<MapAnswer>(`/battle-map?${query}`));
      if (mine !== request.current) return; // a later filter won: keep its answer
      setData(answer);
      setError(null);
    } catch (e) {
      if (mine === request.current) setError(e);
    } finally {
      if (mine === request.current) setLoading(false);
    }
  }, [query]);

  useEffect(() => {
    void load();
  }, [load]);

  // Marks for `npm run bench` (tests/bench/battle-map-browser.ts): the first page of rows committed,
  // then the chart drawn with its counts. Once per page load; a mark costs nothing to a person.
  useEffect(() => {
    if (data) markOnce('battle-map:first-rows');
  }, [data]);
  // The chart's code is asked for after the first answer's paint: asked for in the same render, the
  // evaluation of ECharts (~580 KB) came before the rows' paint.
  const [chartReady, setChartReady] = useState(false);
  const answered = data !== null || error !== null;
  useEffect(() => {
    if (!answered || chartReady) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setChartReady(true))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [answered, chartReady]);
  const dataRef = useRef(data);
  dataRef.current = data;

  // The meeting-room screen refreshes itself.
  useEffect(() => {
    if (!screen) return;
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [screen, load]);

  const setParam = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  /** The address of the map with these filters changed (for the count links). */
  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('page');
    return `/battle-map?${next.toString()}`;
  };

  const colourName = (c: string) => ({ red: t('红', 'Red'), yellow: t('黄', 'Yellow'), green: t('绿', 'Green'), none: t('未制定计划', 'No plan') })[c] ?? c;
  const summary = data?.summary ?? { red: 0, yellow: 0, green: 0, none: 0 };
  const all = summary.red + summary.yellow + summary.green + summary.none;
  const dark = screen;
  const fontSize = screen ? 22 : 14;

  const chart = useMemo(
    () => ({
      animation: false,
      grid: { left: screen ? 150 : 100, right: 40, top: 10, bottom: 20 },
      tooltip: {},
      xAxis: { type: 'value', minInterval: 1, axisLabel: { color: dark ? '#d9d9d9' : '#434343' }, splitLine: { lineStyle: { color: dark ? '#303030' : '#f0f0f0' } } },
      yAxis: { type: 'category', inverse: true, data: COLOUR_KEYS.map(colourName), axisLabel: { color: dark ? '#ffffff' : '#262626', fontSize: screen ? 20 : 13 } },
      series: [
        {
          type: 'bar',
          name: t('项目数', 'Projects'),
          label: { show: true, position: 'right', color: dark ? '#ffffff' : '#262626', fontSize: screen ? 20 : 13 },
          data: COLOUR_KEYS.map((c) => ({ value: summary[c], itemStyle: { color: COLOUR_FILL[c === 'none' ? 'grey' : c] }, colour: c })),
          barMaxWidth: screen ? 40 : 24,
        },
      ],
    }),
    [summary.red, summary.yellow, summary.green, summary.none, dark, lang],
  );

  const stageCell = (s: MapStage | undefined) => {
    if (!s) return '—';
    const c = stageColour(s);
    const style = c ? (dark ? { background: COLOUR_FILL[c], color: TEXT_ON_FILL[c] } : { background: TINT[c].bg, color: TINT[c].fg }) : { color: dark ? '#d9d9d9' : '#595959' };
    const state = zhen(nameOf(STAGE_STATE_NAMES, s.state));
    return (
      <div
        data-colour={c ?? 'none'}
        style={{
          ...style,
          padding: screen ? '6px 8px' : '2px 6px',
          borderRadius: 4,
          fontWeight: c === 'red' ? 700 : 500,
          border: c ? undefined : `1px dashed ${dark ? '#595959' : '#d9d9d9'}`,
        }}
      >
        {state}
        {s.state !== 'n/a' && s.dueOn ? <div style={{ fontSize: screen ? 16 : 12, fontWeight: 400 }}>{s.state === 'done' ? (s.completedOn ?? s.dueOn) : s.dueOn}</div> : null}
        {s.awaitingConfirmation ? <div style={{ fontSize: 12 }}>{t('待确认', 'to confirm')}</div> : null}
      </div>
    );
  };

  const columns = [
    {
      title: t('颜色', 'Colour'),
      dataIndex: 'colour',
      width: screen ? 120 : 96,
      render: (c: C | null) => {
        const key = c ?? 'grey';
        return (
          <span data-testid="project-colour" style={{ color: dark ? '#ffffff' : COLOUR_HEX[key], fontWeight: 700 }}>
            <span
              aria-hidden
              style={{ display: 'inline-block', width: screen ? 18 : 10, height: screen ? 18 : 10, borderRadius: '50%', background: COLOUR_FILL[key], marginRight: 6 }}
            />
            {colourName(c ?? 'none')}
          </span>
        );
      },
    },
    {
      title: t('项目', 'Project'),
      dataIndex: 'name',
      render: (name: string, p: MapItem) => (
        <div>
          <Link to={`/projects/${p.id}`} style={dark ? { color: '#69b1ff' } : undefined}>
            {name}
          </Link>
          {!screen ? <div style={{ fontSize: 12, color: '#595959' }}>{p.code}</div> : null}
        </div>
      ),
    },
    { title: t('责任单位', 'Unit'), render: (_: unknown, p: MapItem) => p.unit?.name },
    ...(screen ? [] : [{ title: t('乡镇', 'Township'), render: (_: unknown, p: MapItem) => p.township?.name ?? '—' }]),
    ...STAGES.map((stage) => ({
      title: zhen(STAGE_NAMES[stage]),
      width: screen ? 150 : 110,
      render: (_: unknown, p: MapItem) => stageCell(p.stages.find((s) => s.stage === stage)),
    })),
    {
      title: t('在办问题', 'Open blockers'),
      width: screen ? 110 : 90,
      render: (_: unknown, p: MapItem) => {
        const red = p.openBlockers.filter((b) => b.colour === 'red').length;
        if (!p.openBlockers.length) return '0';
        const to = p.openBlockers.length === 1 ? `/matters/${p.openBlockers[0].id}` : `/projects/${p.id}#blockers`;
        return (
          <Link
            to={to}
            style={dark ? { color: '#69b1ff' } : undefined}
            aria-label={t(`${p.name}：在办问题${p.openBlockers.length}个，其中超期${red}个`, `${p.name}: ${p.openBlockers.length} open blockers, ${red} overdue`)}
          >
            {p.openBlockers.length}
            {red ? (
              <span style={{ color: dark ? '#ff7875' : COLOUR_HEX.red }}>
                （{t('超期', 'overdue')}
                {red}）
              </span>
            ) : null}
          </Link>
        );
      },
    },
    ...(screen
      ? []
      : [
          {
            title: t('投资滞后', 'Investment lag'),
            width: 100,
            render: (_: unknown, p: MapItem) =>
              p.investment ? (
                <span style={{ color: COLOUR_HEX[p.investment.colour] }}>
                  {p.investment.completedShare}%{p.investment.lagPoints > 0 ? ` (−${p.investment.lagPoints})` : ''}
                </span>
              ) : (
                '—'
              ),
          },
        ]),
  ];

  const filterSelect = (key: (typeof FILTERS)[number], label: string, opts: Option[], width = 160) => (
    <label style={{ display: 'inline-flex', flexDirection: 'column', fontSize: 12 }}>
      <span>{label}</span>
      <Select
        aria-label={label}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        style={{ width }}
        placeholder={t('全部', 'All')}
        value={params.get(key) ?? undefined}
        onChange={(v?: string) => setParam({ [key]: v ?? null })}
        options={opts}
        data-testid={`filter-${key}`}
      />
    </label>
  );

  const counts = (
    <nav aria-label={t('按颜色统计', 'Counts by colour')}>
      <Space wrap size={screen ? 'large' : 'middle'}>
        {COLOUR_KEYS.map((c) => (
          <Link
            key={c}
            to={hrefWith({ colour: c })}
            data-testid={`count-${c}`}
            aria-current={params.get('colour') === c ? 'true' : undefined}
            style={{ fontSize: screen ? 30 : 16, fontWeight: 700, color: dark ? '#ffffff' : COLOUR_HEX[c === 'none' ? 'grey' : c] }}
          >
            <span
              aria-hidden
              style={{
                display: 'inline-block',
                width: screen ? 22 : 12,
                height: screen ? 22 : 12,
                borderRadius: '50%',
                background: COLOUR_FILL[c === 'none' ? 'grey' : c],
                marginRight: 6,
              }}
            />
            {colourName(c)} {summary[c]}
          </Link>
        ))}
        <Link to={hrefWith({ colour: null })} data-testid="count-all" style={{ fontSize: screen ? 30 : 16, color: dark ? '#ffffff' : undefined }}>
          {t('全部', 'All')} {all}
        </Link>
      </Space>
    </nav>
  );

  const body = (
    <>
      {error ? <RefusalAlert error={error} /> : null}
      <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap', alignItems: 'center', marginBottom: 12 }}>
        <div style={{ flex: '1 1 360px' }}>{counts}</div>
        <div style={{ flex: '0 1 420px', minWidth: 280 }}>
          <Suspense fallback={<div style={{ height: screen ? 200 : 130 }} />}>
            {chartReady ? (
              <Chart
                option={chart}
                label={t(
                  `按颜色统计：红${summary.red}，黄${summary.yellow}，绿${summary.green}，未制定计划${summary.none}`,
                  `By colour: red ${summary.red}, yellow ${summary.yellow}, green ${summary.green}, no plan ${summary.none}`,
                )}
                style={{ height: screen ? 200 : 130 }}
                testId="colour-chart"
                onEvents={{
                  click: (p: { data?: { colour?: string } }) => p.data?.colour && setParam({ colour: p.data.colour }),
                  finished: () => dataRef.current && markOnce('battle-map:chart'),
                }}
              />
            ) : (
              <div style={{ height: screen ? 200 : 130 }} />
            )}
          </Suspense>
        </div>
      </div>
      <div data-testid="battle-grid" data-total={data?.total ?? ''}>
        <Table<MapItem>
          rowKey="id"
          size={screen ? 'large' : 'small'}
          loading={loading && !data}
          dataSource={data?.items ?? []}
          columns={columns}
          scroll={{ x: screen ? undefined : 1100 }}
          onRow={(p) => ({ 'data-colour': p.colour ?? 'none', 'data-project': p.id }) as HTMLAttributes<HTMLElement>}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: !screen,
            pageSizeOptions: [20, 50, 100],
            showTotal: (n: number) => t(`共 ${n} 个项目`, `${n} projects`),
            onChange: (p: number, s: number) => setParam({ page: String(p), pageSize: s === (screen ? 12 : 20) ? null : String(s) }),
          }}
        />
      </div>
    </>
  );

  if (screen)
    return (
      <A11yTheme dark>
        <main
          className="battle-map-screen"
          data-testid="battle-screen"
          aria-labelledby="battle-title"
          style={{ minHeight: '100vh', background: '#0b1426', color: '#ffffff', padding: '24px 32px', fontSize }}
        >
          <style>{`
          .battle-map-screen .ant-table, .battle-map-screen .ant-table-thead > tr > th, .battle-map-screen .ant-table-tbody > tr > td { background: #0b1426 !important; color: #ffffff; font-size: ${fontSize}px; border-color: #1f2d45 !important; }
          .battle-map-screen .ant-table-thead > tr > th { background: #13213a !important; font-size: ${fontSize}px; }
          .battle-map-screen .ant-pagination, .battle-map-screen .ant-pagination a, .battle-map-screen .ant-pagination-total-text { color: #ffffff; font-size: 18px; }
          .battle-map-screen .ant-pagination-item-active { background: #1f2d45; border-color: #69b1ff; }
          .battle-map-screen .ant-pagination-item-active a { color: #ffffff; }
          .battle-map-screen .ant-pagination-prev .ant-pagination-item-link, .battle-map-screen .ant-pagination-next .ant-pagination-item-link { color: #ffffff; }
        `}</style>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', marginBottom: 16 }}>
            <h1 id="battle-title" style={{ color: '#ffffff', fontSize: 40, margin: 0, letterSpacing: 4 }}>
              {t('重点项目挂图作战', 'Key projects: battle map')}
            </h1>
            <Space size="large">
              <span style={{ fontSize: 20 }} data-testid="as-of">
                {t('更新于', 'Updated')} {data ? formatTime(data.asOf, lang) : '—'} · {t('每60秒自动刷新', 'refreshes every 60 s')}
              </span>
              <Button onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>{t('全屏', 'Full screen')}</Button>
              <Link to={hrefWith({ screen: null })} style={{ color: '#69b1ff', fontSize: 20 }}>
                {t('退出大屏', 'Leave the screen')}
              </Link>
            </Space>
          </div>
          {body}
        </main>
      </A11yTheme>
    );

  return (
    <A11yTheme>
      <section aria-labelledby="battle-title">
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', flexWrap: 'wrap', gap: 8 }}>
          <Typography.Title level={1} id="battle-title" style={{ fontSize: 24, margin: 0 }}>
            {t('挂图作战', 'Battle map')}
          </Typography.Title>
          <Link to={hrefWith({ screen: '1' })}>{t('大屏模式', 'Meeting-room screen')}</Link>
        </div>
        <Space wrap style={{ margin: '12px 0' }} align="end">
          {filterSelect('townshipId', t('乡镇', 'Township'), options.townships)}
          {filterSelect('unitId', t('责任单位', 'Unit'), options.units)}
          {filterSelect('liaisonLeaderId', t('包联领导', 'Liaison leader'), options.leaders)}
          {filterSelect(
            'category',
            t('项目类别', 'Category'),
            Object.entries(PROJECT_CATEGORY_NAMES).map(([value, n]) => ({ value, label: zhen(n) })),
            130,
          )}
          {filterSelect(
            'colour',
            t('颜色', 'Colour'),
            COLOUR_KEYS.map((c) => ({ value: c, label: colourName(c) })),
            120,
          )}
          {filterSelect(
            'stage',
            t('所处阶段', 'Stage'),
            STAGES.map((s) => ({ value: s, label: zhen(STAGE_NAMES[s]) })),
            120,
          )}
          {FILTERS.some((f) => params.get(f)) ? <Button onClick={() => setParams(new URLSearchParams())}>{t('清除筛选', 'Clear filters')}</Button> : null}
        </Space>
        {body}
        {data ? (
          <p style={{ color: '#595959', fontSize: 12 }}>
            {t('数据时间', 'As of')} {formatTime(data.asOf, lang)}
            {params.get('colour') ? <Tag style={{ marginLeft: 8 }}>{colourName(params.get('colour')!)}</Tag> : null}
          </p>
        ) : null}
      </section>
    </A11yTheme>
  );
}
