import { describe, expect, it } from "vitest";
import { renderBudgetChart } from "../src/charts/budget-bars.ts";
import { renderTrendChart } from "../src/charts/trend.ts";
import { checkSvg, usd, widths } from "./charts-support.ts";

const opts = { formatMoney: usd.amount, formatTick: usd.compact };
const month = (label: string, income: bigint, expense: bigint) => ({
  label,
  incomeCents: income,
  expenseCents: expense,
});

/** The y of the axis line through zero. */
function zeroLineY(svg: string): number {
  return Number(/<line class="et-axis"[^>]*y1="([^"]+)"/.exec(svg)?.[1]);
}

describe("the trend", () => {
  it("draws income and expenses per month, scaled to the largest, with compact ticks", () => {
    const { svg, table } = renderTrendChart(
      [month("Jan", 200_000n, 100_000n), month("Feb", 100_000n, 50_000n)],
      opts,
    );
    checkSvg(svg);
    const heights = [
      ...svg.matchAll(/<rect class="et-bar et-(?:income|expense)"[^>]*height="([^"]+)"/g),
    ].map((m) => Number(m[1]));
    expect(heights).toHaveLength(4);
    expect((heights[1] as number) / (heights[0] as number)).toBeCloseTo(0.5, 2);
    expect(svg).toContain("$2K");
    expect(table.rows.map((r) => r.net)).toEqual(["$1,000.00", "$500.00"]);
  });

  it("a negative net falls below the axis through zero", () => {
    const { svg, table } = renderTrendChart(
      [month("Jan", 0n, 80_000n), month("Feb", 100_000n, 100_000n)],
      opts,
    );
    checkSvg(svg);
    expect(table.rows.map((r) => r.netCents)).toEqual([-80_000n, 0n]);
    const zero = zeroLineY(svg);
    const dots = [...svg.matchAll(/<circle class="et-net" cx="[^"]+" cy="([^"]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(dots[0]).toBeGreaterThan(zero);
    expect(dots[1]).toBeCloseTo(zero, 5);
    expect(svg).toMatch(/-\$/);
  });

  it("twelve months all fit in the width, and a month with no data is a zero-height bar", () => {
    const months = Array.from({ length: 12 }, (_, i) =>
      month(`M${i + 1}`, i === 3 ? 0n : 1000n, 500n),
    );
    const { svg } = renderTrendChart(months, opts);
    checkSvg(svg);
    expect(svg.match(/class="et-month"/g)).toHaveLength(12);
    expect(widths(svg, "et-income").every((w) => w > 0)).toBe(true);
  });

  it("months with no data at all give an empty-state chart with no NaN", () => {
    for (const months of [[], [month("Mar", 0n, 0n)]]) {
      const { svg, table } = renderTrendChart(months, opts);
      checkSvg(svg);
      expect(svg).toContain("No income or expenses in these months");
      expect(table.rows).toHaveLength(months.length);
    }
  });

  it("escapes month labels and titles, and is deterministic", () => {
    const months = [month("<script>&", 1n, 2n)];
    const a = renderTrendChart(months, { ...opts, title: "A & B" }).svg;
    checkSvg(a);
    expect(a).toContain("&lt;script&gt;&amp;");
    expect(a).toBe(renderTrendChart(months, { ...opts, title: "A & B" }).svg);
  });
});

describe("budget progress", () => {
  it("spent is a rect width against the budget, with the amount left", () => {
    const { svg, table } = renderBudgetChart(
      [{ name: "Food", spentCents: 2500n, budgetCents: 10000n }],
      { formatMoney: usd.amount },
    );
    checkSvg(svg);
    const [track, spent] = [
      widths(svg, "et-track")[0] as number,
      widths(svg, "et-under")[0] as number,
    ];
    expect(spent / track).toBeCloseTo(0.25, 3);
    expect(table.rows[0]).toMatchObject({ leftCents: 7500n, over: false, status: "$75.00 left" });
    expect(svg).not.toContain("Over budget");
  });

  it("over budget is told by text and an icon as well as colour", () => {
    const { svg, table } = renderBudgetChart(
      [
        { name: "Fun", spentCents: 15000n, budgetCents: 10000n },
        { name: "Zero budget", spentCents: 1n, budgetCents: 0n },
      ],
      { formatMoney: usd.amount },
    );
    checkSvg(svg);
    expect(table.rows.map((r) => r.status)).toEqual(["$50.00 over", "$0.01 over"]);
    expect(svg.match(/Over budget: /g)).toHaveLength(2);
    expect(svg.match(/class="et-icon"/g)).toHaveLength(2);
    expect(widths(svg, "et-over")).toEqual(widths(svg, "et-track"));
  });

  it("zero spent against zero budget is an empty bar, not NaN", () => {
    const { svg, table } = renderBudgetChart(
      [{ name: "Nothing", spentCents: 0n, budgetCents: 0n }],
      { formatMoney: usd.amount },
    );
    checkSvg(svg);
    expect(widths(svg, "et-under")).toEqual([0]);
    expect(table.rows[0]?.status).toBe("$0.00 left");
  });

  it("no budgets is an empty state; long and hostile names are truncated and escaped", () => {
    checkSvg(renderBudgetChart([], { formatMoney: usd.amount }).svg);
    const name = `<script>x</script> & ${"y".repeat(100)}`;
    const { svg } = renderBudgetChart([{ name, spentCents: 1n, budgetCents: 2n }], {
      formatMoney: usd.amount,
    });
    const doc = checkSvg(svg);
    expect(Array.from(doc.getElementsByTagName("text")).map((t) => t.textContent)).toContain(
      "<script>x</script> …",
    );
  });
});
