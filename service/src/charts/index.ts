// The chart renderer: data in, SVG text out (plus the rows for the table beside each chart).
export {
  type BudgetAmount,
  type BudgetChart,
  type BudgetChartOptions,
  type BudgetRow,
  renderBudgetChart,
} from "./budget-bars.ts";
export {
  type CategoryAmount,
  type CategoryChartOptions,
  renderCategoryChart,
} from "./category-bars.ts";
export { type FormatMoney, PALETTE_SIZE, svgElement } from "./svg.ts";
export { type MonthTotals, renderTrendChart, type TrendChartOptions } from "./trend.ts";
