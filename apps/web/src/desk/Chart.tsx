/** ECharts with only the charts the desk pages draw (bar, line, pie), so the bundle carries no more. */
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useState } from 'react';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

/** The self-hosted CJK font: a canvas has no fallback to it, so it is named, and the chart drawn again once fonts load. */
const FONT = "'Noto Sans SC', -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif";

export function Chart({ option, height = 320, label }: { option: object; height?: number; label: string }) {
  const [fontsReady, setFontsReady] = useState(0);
  useEffect(() => {
    let live = true;
    void document.fonts?.ready.then(() => live && setFontsReady((n) => n + 1));
    return () => {
      live = false;
    };
  }, [option]);
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore key={fontsReady} echarts={echarts} option={{ textStyle: { fontFamily: FONT }, ...option }} style={{ height }} notMerge />
    </div>
  );
}
