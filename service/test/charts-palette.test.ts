import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadAssets } from "../src/embedded.ts";

const css = readFileSync(new URL("../src/assets/app.css", import.meta.url), "utf8");

/** The custom properties declared in the first block whose selector starts with `selector`. */
function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  expect(start, `no block ${selector}`).toBeGreaterThanOrEqual(0);
  const body = css.slice(css.indexOf("{", start) + 1, css.indexOf("}", start));
  return Object.fromEntries(
    [...body.matchAll(/(--et-[\w-]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1], m[2]]),
  );
}

/** WCAG 2 relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// Bootstrap 5.3's body, light and tertiary backgrounds, plus the charts' own surface.
const LIGHT_BACKGROUNDS = ["#ffffff", "#f8f9fa"];
const DARK_BACKGROUNDS = ["#212529", "#2b3035", "#343a40"];
const FOREGROUNDS = [
  "--et-fg",
  "--et-muted",
  "--et-income",
  "--et-expense",
  "--et-over",
  "--et-under",
];

describe("the chart palette in app.css", () => {
  const light = block(":root");
  const dark = block('[data-bs-theme="dark"]');
  const system = block(':root:not([data-bs-theme="light"])');

  it("has ten category colours in each theme, and the system dark setting matches the dark theme", () => {
    for (const theme of [light, dark]) {
      expect(Object.keys(theme).filter((k) => k.startsWith("--et-cat-"))).toHaveLength(10);
    }
    expect(system).toEqual(dark);
  });

  it.each([
    ["light", light, LIGHT_BACKGROUNDS],
    ["dark", dark, DARK_BACKGROUNDS],
  ] as const)(
    "every colour has contrast of at least 4.5:1 on the %s backgrounds",
    (_, theme, backgrounds) => {
      const names = [...FOREGROUNDS, ...Array.from({ length: 10 }, (_, i) => `--et-cat-${i}`)];
      for (const name of names) {
        const colour = theme[name];
        expect(colour, name).toBeDefined();
        for (const bg of [...backgrounds, theme["--et-surface"] as string]) {
          expect(
            contrast(colour as string, bg),
            `${name} ${colour} on ${bg}`,
          ).toBeGreaterThanOrEqual(4.5);
        }
      }
    },
  );

  it("is served as a content-hashed asset", () => {
    const asset = loadAssets()["app.css"];
    expect(asset.path).toMatch(/^\/assets\/app\.[0-9a-f]{12}\.css$/);
    expect(asset.body).toBe(css);
    expect(asset.body).toContain(".et-cat-9");
  });
});
