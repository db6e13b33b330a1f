/**
 * Completed investment against time-proportional progress (序时进度) for one year: bars for the
 * completed figure reported for each month (year to date, the latest report of the month counts),
 * a line for the plan × the share of the year elapsed at each month's end (libs/domain
 * timeProportionalProgress: day of the year / days in the year).
 */
import { useMemo } from 'react';
import { useI18n } from '../i18n';
import { Chart } from './Chart';
import { COLOUR_FILL } from './labels';

export interface InvestmentData {
  plans: { year: number; amount: number }[];
  reports: { year: number; month: number; completed: number; reportedAt: string }[];
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** Share (percent) of the year elapsed at the end of a month. */
export function monthEndShare(year: number, month: number): number {
  const days = isLeap(year) ? 366 : 365;
  const ordinal = Math.round((Date.UTC(year, month, 1) - Date.UTC(year, 0, 1)) / 86_400_000);
  return Math.round((ordinal / days) * 10_000) / 100;
}

/** The latest year-to-date figure of each month of the year (reports come newest first, but do not rely on it). */
export function completedByMonth(reports: InvestmentData['reports'], year: number): (number | null)[] {
  const out: (number | null)[] = Array(12).fill(null);
  const at: string[] = Array(12).fill('');
  for (const r of reports) if (r.year === year && r.reportedAt >= at[r.month - 1]) [out[r.month - 1], at[r.month - 1]] = [r.completed, r.reportedAt];
  return out;
}

export function InvestmentChart({ data, year }: { data: InvestmentData; year: number }) {
  const { t, lang } = useI18n();
  const plan = data.plans.find((p) => p.year === year)?.amount ?? null;
  const option = useMemo(() => {
    const months = Array.from({ length: 12 }, (_, i) => (lang === 'en' ? `${i + 1}` : `${i + 1}月`));
    const completed = completedByMonth(data.reports, year);
    return {
      animation: false,
      grid: { left: 70, right: 20, top: 40, bottom: 30 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', name: t('万元', '10k CNY') },
      series: [
        { type: 'bar', name: t('累计完成投资', 'Completed (year to date)'), data: completed, itemStyle: { color: '#1677ff' }, barMaxWidth: 28 },
        ...(plan === null
          ? []
          : [
              {
                type: 'line',
                name: t('序时进度', 'Time-proportional progress'),
                data: months.map((_, i) => Math.round(plan * monthEndShare(year, i + 1)) / 100),
                lineStyle: { color: COLOUR_FILL.red, type: 'dashed', width: 2 },
                itemStyle: { color: COLOUR_FILL.red },
                symbol: 'none',
              },
            ]),
      ],
    };
  }, [data, year, plan, lang, t]);
  return (
    <Chart
      option={option}
      label={t(`${year}年完成投资与序时进度对比图`, `Completed investment against time-proportional progress, ${year}`)}
      style={{ height: 300 }}
      testId="investment-chart"
    />
  );
}
