export { ProgressLine, progressBar, type ProgressStream } from './progress-bar';
export { renderTextTable, type ColumnAlign, type TextTableOptions } from './text-table';
export {
  lineChartSvg,
  type AxisScale,
  type ChartSeries,
  type LineChartOptions,
  type SeriesStyle,
} from './line-chart';
export {
  heatmapSvg,
  type ColorScale,
  type HeatmapMark,
  type HeatmapOptions,
} from './heatmap';
export { formatCompact } from './compact-number';
export { escapeXml } from './escape-xml';
export { readText } from './read-text';
