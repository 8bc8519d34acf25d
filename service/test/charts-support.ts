import { DOMParser } from "@xmldom/xmldom";
import { expect } from "vitest";
import { moneyFormatters } from "../src/lib/money.ts";

export const usd = moneyFormatters("USD");

/** Parses with a real XML parser (throwing on any error) and checks what the CSP forbids. */
export function checkSvg(svg: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    // Warnings (such as a U+FFFD standing in for a control character) are not well-formedness errors.
    onError: (level, message) => {
      if (level !== "warning") errors.push(`${level}: ${message}`);
    },
  }).parseFromString(svg, "image/svg+xml");
  expect(errors).toEqual([]);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  expect(svg).not.toMatch(/style=/i);
  expect(svg).not.toMatch(/<style/i);
  expect(svg).not.toMatch(/<script/i);
  const root = doc.documentElement;
  expect(root?.nodeName).toBe("svg");
  expect(root?.getAttribute("role")).toBe("img");
  const [titleId, descId] = (root?.getAttribute("aria-labelledby") ?? "").split(" ");
  expect(doc.getElementById(titleId ?? "")?.nodeName).toBe("title");
  expect(doc.getElementById(descId ?? "")?.nodeName).toBe("desc");
  return doc;
}

/** Widths of the elements with class `cls` (e.g. "et-bar"), in document order. */
export function widths(svg: string, cls: string): number[] {
  return [
    ...svg.matchAll(new RegExp(`<rect class="[^"]*\\b${cls}\\b[^"]*"[^>]*width="([^"]+)"`, "g")),
  ].map((m) => Number(m[1]));
}
