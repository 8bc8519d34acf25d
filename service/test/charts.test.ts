import { describe, expect, it } from "vitest";
import { niceTicks } from "../src/charts/axis.ts";
import { renderCategoryChart } from "../src/charts/category-bars.ts";
import { escapeXml, svgElement, truncate } from "../src/charts/svg.ts";
import { checkSvg, usd, widths } from "./charts-support.ts";

const opts = { formatMoney: usd.amount };

describe("spending by category", () => {
  it("bars scale to the largest value, largest first, with each share", () => {
    const { svg, table } = renderCategoryChart(
      [
        { name: "Food", cents: 5000n },
        { name: "Rent", cents: 10000n },
        { name: "Fun", cents: 0n },
      ],
      opts,
    );
    checkSvg(svg);
    const [rent, food, fun] = widths(svg, "et-bar") as [number, number, number];
    expect(food / rent).toBeCloseTo(0.5, 3);
    expect(fun).toBe(0);
    expect(table.rows.map((r) => [r.name, r.amount, r.share])).toEqual([
      ["Rent", "$100.00", "66.7%"],
      ["Food", "$50.00", "33.3%"],
      ["Fun", "$0.00", "0.0%"],
    ]);
    expect(table.total).toBe("$150.00");
  });

  it("keeps each category's colour with it, not with its rank", () => {
    const { svg } = renderCategoryChart(
      [
        { name: "A", cents: 1n },
        { name: "B", cents: 2n, colour: 7 },
      ],
      opts,
    );
    expect(svg.indexOf("et-cat-7")).toBeLessThan(svg.indexOf("et-cat-0"));
  });

  it("one category fills the bar area at 100%", () => {
    const { svg, table } = renderCategoryChart([{ name: "Only", cents: 1234n }], opts);
    checkSvg(svg);
    expect(table.rows[0]?.share).toBe("100.0%");
    expect(widths(svg, "et-bar")[0]).toBeGreaterThan(100);
  });

  it("30 categories give 30 rows, colours cycling through the palette", () => {
    const cats = Array.from({ length: 30 }, (_, i) => ({
      name: `Cat ${i}`,
      cents: BigInt(i + 1) * 100n,
    }));
    const { svg, table } = renderCategoryChart(cats, opts);
    checkSvg(svg);
    expect(table.rows).toHaveLength(30);
    expect(widths(svg, "et-bar")).toHaveLength(30);
    expect(svg.match(/et-cat-9/g)).toHaveLength(3);
  });

  it("truncates very long names with an ellipsis and keeps the full name in a <title>", () => {
    const name = `Groceries and household supplies ${"x".repeat(200)}`;
    const { svg } = renderCategoryChart([{ name, cents: 100n }], { ...opts, labelChars: 12 });
    const doc = checkSvg(svg);
    const labels = Array.from(doc.getElementsByTagName("text")).map((t) => t.textContent);
    expect(labels).toContain("Groceries a…");
    const titles = Array.from(doc.getElementsByTagName("title")).map((t) => t.textContent ?? "");
    expect(titles.some((t) => t.startsWith(`${name}: `))).toBe(true);
  });

  it("escapes names and titles that hold markup, ampersands and control characters", () => {
    const { svg } = renderCategoryChart(
      [{ name: `<script>alert("x")</script> & 'co'\u0001`, cents: 100n }],
      { ...opts, title: "Tom & Jerry's <b>" },
    );
    const doc = checkSvg(svg);
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain("Tom &amp; Jerry&#39;s &lt;b&gt;");
    expect(doc.getElementsByTagName("title")[0]?.textContent).toBe("Tom & Jerry's <b>");
    expect(doc.getElementsByTagName("script")).toHaveLength(0);
  });

  it("a period with no spending is an empty-state chart", () => {
    for (const input of [[], [{ name: "Food", cents: 0n }]]) {
      const { svg } = renderCategoryChart(input, opts);
      const doc = checkSvg(svg);
      expect(doc.documentElement?.getAttribute("class")).toContain("et-chart-empty");
      expect(svg).toContain("No spending in this period");
    }
  });

  it("gives the same bytes for the same input, and refuses negative spending", () => {
    const input = [
      { name: "Food", cents: 333n },
      { name: "Rent", cents: 777n },
    ];
    expect(renderCategoryChart(input, opts).svg).toBe(renderCategoryChart(input, opts).svg);
    expect(() => renderCategoryChart([{ name: "X", cents: -1n }], opts)).toThrow(RangeError);
  });

  it("uses distinct ids so two charts can share a page", () => {
    const { svg } = renderCategoryChart([{ name: "A", cents: 1n }], { ...opts, id: "a b" });
    expect(svg).toContain('aria-labelledby="a-b-title a-b-desc"');
  });
});

describe("svg helpers", () => {
  it("escapes the five XML characters", () => {
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });

  it("replaces characters XML cannot hold, and leaves every other text as it is", () => {
    expect(escapeXml("a\u0000b\u0008c\u001fd\ufffee\uffff")).toBe(
      "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD",
    );
    expect(escapeXml("lone \uD800 and \uDC00")).toBe("lone \uFFFD and \uFFFD");
    expect(escapeXml("tab\tnew\nline\r")).toBe("tab\tnew\nline\r");
    const plain = "Café 😀 Groceries – 12 345,67 €";
    expect(escapeXml(plain)).toBe(plain);
  });

  it("truncates by code point, never splitting an emoji", () => {
    expect(truncate("😀😀😀😀", 3)).toBe("😀😀…");
    expect(truncate("short", 10)).toBe("short");
  });

  it("wraps SVG for hono/jsx without escaping it", () => {
    expect(String(svgElement("<svg/>"))).toBe("<svg/>");
  });

  it("axis ticks are round, cover the range and include zero", () => {
    expect(niceTicks(0n, 950n)).toEqual([0n, 200n, 400n, 600n, 800n, 1000n]);
    const ticks = niceTicks(-12_345n, 100_000n);
    expect(ticks).toContain(0n);
    expect(ticks[0]).toBeLessThanOrEqual(-12_345n);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(100_000n);
    expect(niceTicks(0n, 0n)).toEqual([0n, 50n, 100n]);
  });
});
