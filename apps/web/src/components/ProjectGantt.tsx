/**
 * The milestone plan (倒排工期) as a Gantt: one bar per stage from its start to its due day, in its
 * colour (web.md: green on time, yellow in the warning window, red overdue, grey not applicable;
 * done stages green, stages not yet begun outlined), a diamond where a stage was completed, and
 * today's line. ECharts custom series on a time axis.
 */
import { useMemo } from 'react';
import { toZonedInput } from '../format';
import { useI18n } from '../i18n';
import { Chart } from './Chart';
import { COLOUR_FILL, STAGE_NAMES, STAGE_STATE_NAMES, nameOf } from './labels';

export interface StageRow {
  stage: string;
  state: 'pending' | 'active' | 'done' | 'n/a';
  colour: 'green' | 'yellow' | 'red' | null;
  dueOn: string | null;
  startsOn?: string | null;
  activatedAt?: string | null;
  doneAt?: string | null;
  completedOn?: string | null;
}

const DAY = 86_400_000;
/**
 * The axis is the organisation's calendar drawn as UTC (the chart's useUTC): a day (YYYY-MM-DD) is its
 * midnight, and an instant is its wall time in the organisation's zone, so today's line falls on the
 * organisation's today whatever the browser's zone.
 */
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const wallMs = (at: string | number) => Date.parse(`${toZonedInput(at)}:00Z`);

/**
 * Each bar spans the stage's planned window: from its own start day (an overlap the plan allows), else
 * the day after the stage before it is due, else (the first stage) when it became active; to its due
 * day. A stage still running past its due day is drawn on to today, so the overdue part shows.
 */
export function ganttBars(stages: StageRow[], nowMs: number) {
  return stages.map((s, i) => {
    const due = s.dueOn ? dayMs(s.dueOn) + DAY : null;
    const prevDue = stages
      .slice(0, i)
      .reverse()
      .find((x) => x.dueOn && x.state !== 'n/a')?.dueOn;
    const planned = s.startsOn ? dayMs(s.startsOn) : prevDue ? dayMs(prevDue) + DAY : s.activatedAt ? wallMs(s.activatedAt) : due !== null ? due - 30 * DAY : null;
    const end = due === null ? null : s.state === 'active' && nowMs > due ? nowMs : due;
    const start = planned !== null && end !== null ? Math.min(planned, end - DAY) : planned;
    const fill = s.state === 'n/a' ? 'grey' : s.state === 'done' ? 'green' : s.state === 'active' ? (s.colour ?? 'green') : null;
    return { ...s, index: i, start, end, fill, completed: s.completedOn ? dayMs(s.completedOn) + DAY / 2 : null };
  });
}

export function ProjectGantt({ stages, nowMs = Date.now() }: { stages: StageRow[]; nowMs?: number }) {
  const { t, lang } = useI18n();
  const option = useMemo(() => {
    const today = wallMs(nowMs);
    const bars = ganttBars(stages, today);
    const names = bars.map((b) => (lang === 'en' ? nameOf(STAGE_NAMES, b.stage).en : nameOf(STAGE_NAMES, b.stage).zh));
    const data = bars
      .filter((b) => b.start !== null && b.end !== null)
      .map((b) => ({
        value: [b.index, b.start, b.end, b.completed ?? -1],
        itemStyle: b.fill
          ? { color: COLOUR_FILL[b.fill as 'green'], borderColor: COLOUR_FILL[b.fill as 'green'] }
          : { color: 'rgba(22,119,255,0.08)', borderColor: '#1677ff', borderType: 'dashed' as const },
        stage: b,
      }));
    return {
      animation: false,
      useUTC: true,
      grid: { left: 90, right: 30, top: 30, bottom: 40 },
      tooltip: {
        formatter: (p: { data?: { stage?: ReturnType<typeof ganttBars>[number] } }) => {
          const b = p.data?.stage;
          if (!b) return '';
          const state = lang === 'en' ? nameOf(STAGE_STATE_NAMES, b.state).en : nameOf(STAGE_STATE_NAMES, b.state).zh;
          return `${names[b.index]}：${state}<br/>${t('计划完成', 'Due')} ${b.dueOn ?? '—'}${b.completedOn ? `<br/>${t('实际完成', 'Completed')} ${b.completedOn}` : ''}`;
        },
      },
      xAxis: { type: 'time', axisLabel: { formatter: lang === 'en' ? '{yyyy}-{MM}' : '{yyyy}年{M}月' }, splitLine: { show: true } },
      yAxis: { type: 'category', data: names, inverse: true, axisLabel: { fontSize: 14 } },
      series: [
        {
          type: 'custom',
          name: t('阶段', 'Stages'),
          encode: { x: [1, 2], y: 0 },
          renderItem: (params: unknown, api: any) => {
            const idx = api.value(0);
            const start = api.coord([api.value(1), idx]);
            const end = api.coord([api.value(2), idx]);
            const h = api.size([0, 1])[1] * 0.5;
            const style = api.style();
            const children: object[] = [{ type: 'rect', shape: { x: start[0], y: start[1] - h / 2, width: Math.max(2, end[0] - start[0]), height: h, r: 3 }, style }];
            const done = api.value(3);
            if (done > 0) {
              const c = api.coord([done, idx]);
              const d = h * 0.45;
              children.push({
                type: 'polygon',
                shape: {
                  points: [
                    [c[0], c[1] - d],
                    [c[0] + d, c[1]],
                    [c[0], c[1] + d],
                    [c[0] - d, c[1]],
                  ],
                },
                style: { fill: '#141414', stroke: '#ffffff', lineWidth: 1 },
              });
            }
            return { type: 'group', children };
          },
          data,
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: '#cf1322', type: 'solid', width: 2 },
            label: { formatter: t('今天', 'Today'), position: 'end', color: '#cf1322', fontWeight: 'bold' },
            data: [{ xAxis: today }],
          },
        },
      ],
    };
  }, [stages, lang, nowMs, t]);
  const summary = stages
    .map((s) => `${nameOf(STAGE_NAMES, s.stage).zh}：${nameOf(STAGE_STATE_NAMES, s.state).zh}，${t('计划', 'due')} ${s.dueOn ?? '—'}${s.colour ? `（${s.colour}）` : ''}`)
    .join('；');
  return <Chart option={option} label={`${t('里程碑计划甘特图', 'Milestone plan Gantt chart')}：${summary}`} style={{ height: 300 }} testId="gantt" />;
}
