/**
 * One ECharts wrapper for the pages' charts: only the chart types and components they use are
 * registered (the whole of ECharts would add ~350 KB gzipped to every page that draws one).
 * The chart is an image to assistive technology, with a text label saying what it shows.
 */
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';

echarts.use([BarChart, LineChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

export { echarts };

/** The console's self-hosted CJK font; a canvas does not fall back to it by itself. */
export const CHART_FONT = "'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/**
 * The font's subsets load by unicode-range, when the page first shows their characters; text drawn
 * only on a canvas never asks for them (it would show as boxes). Load the chart's characters, then draw again.
 */
function useChartFont(option: object): number {
  const [loaded, setLoaded] = useState(0);
  const chars = useMemo(() => [...new Set([...JSON.stringify(option)].filter((c) => c.charCodeAt(0) > 0x7f).join(''))].join(''), [option]);
  useEffect(() => {
    if (!chars || typeof document === 'undefined' || !document.fonts) return;
    let live = true;
    void Promise.all([document.fonts.load(`14px 'Noto Sans SC'`, chars), document.fonts.load(`bold 14px 'Noto Sans SC'`, chars)])
      .then(() => live && setLoaded((n) => n + 1))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [chars]);
  return loaded;
}

export function Chart({
  option,
  label,
  style,
  onEvents,
  testId,
}: {
  option: object;
  /** What the chart shows, in words (screen readers, and a tooltip for everyone). */
  label: string;
  style?: CSSProperties;
  onEvents?: Record<string, (params: any) => void>;
  testId?: string;
}) {
  const fontLoads = useChartFont(option);
  const withFont = useMemo(() => ({ textStyle: { fontFamily: CHART_FONT }, ...option }), [option]);
  return (
    <div role="img" aria-label={label} data-testid={testId}>
      <ReactEChartsCore
        key={fontLoads}
        echarts={echarts}
        option={withFont}
        notMerge
        lazyUpdate
        style={style ?? { height: 300 }}
        onEvents={onEvents}
        opts={{ renderer: 'canvas' }}
      />
    </div>
  );
}
