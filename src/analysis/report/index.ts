// The report and its plots: shared by `prunelab report` and the browser demo.
export {
  analyze,
  type Analysis,
  type AnalyzeOptions,
  type PanelAnalysis,
  type SeriesAnalysis,
  type MetricCell,
  type RatioColumn,
  type RatioEntry,
} from './analyze.js';
export {
  nStarPlot,
  successCurvePlot,
  heatMap,
  metricPlot,
  type Metric,
  type PlotOptions,
} from './plots.js';
export { renderReport, renderAnalysis, type ReportOptions } from './html.js';
export { summarize, summaryJson, summaryTables, verdict, type SummaryRow, type SummaryTable } from './summary.js';
export { exponentText, n50Text, slopeText, gridText, ratioText } from './text.js';
