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
import type { CSSProperties } from 'react';

echarts.use([BarChart, LineChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

export { echarts };

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
  return (
    <div role="img" aria-label={label} data-testid={testId}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge lazyUpdate style={style ?? { height: 300 }} onEvents={onEvents} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
