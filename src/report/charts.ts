import type { PeriodReport } from './report';

/**
 * The report's charts: drawn as SVG by Apache ECharts' server-side renderer (pure JavaScript, no browser, no canvas),
 * then rasterised to PNG by resvg for the DOCX (Word shows PNG everywhere). Fonts come from the dejavu-fonts-ttf
 * package, not the system, so Vietnamese letters render the same on every machine.
 */
export interface Chart {
  name: 'theo-kenh' | 'theo-linh-vuc' | 'theo-thang';
  title: string;
  svg: string;
  width: number;
  height: number;
}

/** What the report page needs to place a chart (an `<img>` of its size): nothing is drawn. */
export type ChartInfo = Omit<Chart, 'svg'>;

const FONT = 'DejaVu Sans';
const WIDTH = 900;

const chartHeight = (labels: string[], horizontal: boolean) =>
  horizontal ? Math.max(260, 90 + labels.length * 34) : 420;

function barChart(
  title: string,
  labels: string[],
  values: number[],
  horizontal: boolean,
): { svg: string; height: number } {
  const echarts = require('echarts') as typeof import('echarts');
  const height = chartHeight(labels, horizontal);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  const category = {
    type: 'category' as const,
    data: labels,
    axisLabel: { fontSize: 13, width: horizontal ? 330 : 150, overflow: 'break' as const, interval: 0 },
  };
  const value = { type: 'value' as const, minInterval: 1, axisLabel: { fontSize: 12 } };
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT },
    title: { text: title, left: 'center', textStyle: { fontSize: 16 } },
    grid: horizontal ? { left: 350, right: 60, top: 50, bottom: 30 } : { left: 60, right: 30, top: 60, bottom: 80 },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: [
      {
        type: 'bar',
        data: values,
        barMaxWidth: 48,
        itemStyle: { color: '#1f5fa8' },
        label: { show: true, position: horizontal ? 'right' : 'top', fontSize: 12 },
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return { svg, height };
}

type ChartSpec = [Chart['name'], string, string[], number[], boolean];

function chartSpecs(report: PeriodReport): ChartSpec[] {
  const channels = report.byChannel.filter((c) => c.published > 0);
  return [
    ['theo-kenh', 'Lượt đăng theo kênh', channels.map((c) => c.name), channels.map((c) => c.published), true],
    [
      'theo-linh-vuc',
      'Lượt đăng theo lĩnh vực',
      report.byArea.map((a) => a.name),
      report.byArea.map((a) => a.published),
      true,
    ],
    [
      'theo-thang',
      'Lượt đăng theo tháng',
      report.byMonth.map((m) => m.label),
      report.byMonth.map((m) => m.published),
      false,
    ],
  ];
}

/**
 * The charts' names, titles and sizes without drawing them: the report page shows each as an image its own address
 * draws. (Drawing all three to place them cost ~340 ms of ECharts layout per page view; profile in the README.)
 */
export function reportChartList(report: PeriodReport): ChartInfo[] {
  return chartSpecs(report).map(([name, title, labels, , horizontal]) => ({
    name,
    title,
    width: WIDTH,
    height: chartHeight(labels, horizontal),
  }));
}

/** The charts drawn, or only the one named. */
export function reportCharts(report: PeriodReport, only?: Chart['name']): Chart[] {
  return chartSpecs(report)
    .filter(([name]) => only === undefined || name === only)
    .map(([name, title, labels, values, horizontal]) => ({
      name,
      title,
      width: WIDTH,
      ...barChart(title, labels, values, horizontal),
    }));
}

/** PNG bytes of a chart, at twice its size for print. */
export function chartPng(chart: Chart): Buffer {
  const { Resvg } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
  const resvg = new Resvg(chart.svg, {
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: FONT },
    fitTo: { mode: 'zoom', value: 2 },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
