// Helpers shared by the chart renderers: escaping, number output, the outer <svg> with its text
// alternative, and the empty state. Everything here returns strings, so output is deterministic.
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { escapeHtml } from "../lib/escape.ts";

/** Formats cents for a label; the caller builds it once per currency (see lib/money.ts). */
export type FormatMoney = (cents: bigint) => string;

/** How many category colours app.css defines (`et-cat-0` … `et-cat-9`). */
export const PALETTE_SIZE = 10;

/** Rough advance of one character at the charts' 12px font, for truncation and layout. */
export const CHAR_WIDTH = 7;

// XML 1.0 forbids most control characters and lone surrogates even when escaped; user input may hold them.
function xmlChars(text: string): string {
  let out = "";
  for (const ch of text.toWellFormed()) {
    const c = ch.codePointAt(0) ?? 0;
    const invalid =
      (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) || c === 0xfffe || c === 0xffff;
    out += invalid ? "\uFFFD" : ch;
  }
  return out;
}

// Characters XML cannot hold (lone surrogates are found by isWellFormed).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters XML 1.0 forbids
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** Escapes text for XML content and attribute values, and replaces characters XML cannot hold. */
export function escapeXml(text: string): string {
  return escapeHtml(XML_FORBIDDEN.test(text) || !text.isWellFormed() ? xmlChars(text) : text);
}

/** A coordinate with at most 2 decimals; refuses NaN and Infinity so they never reach the output. */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`chart coordinate is not finite: ${n}`);
  const rounded = Math.round(n * 100) / 100;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

export type Attrs = Record<string, string | number | undefined>;

/** One element; attribute values are escaped, numbers go through `num`, children are trusted markup. */
export function el(name: string, attrs: Attrs, ...children: string[]): string {
  let list = "";
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined) list += ` ${k}="${typeof v === "number" ? num(v) : escapeXml(v)}"`;
  }
  return children.length === 0
    ? `<${name}${list}/>`
    : `<${name}${list}>${children.join("")}</${name}>`;
}

/** A <text> element holding escaped text. */
export function textEl(content: string, attrs: Attrs): string {
  return el("text", attrs, escapeXml(content));
}

/** A <title> child, which browsers show as a tooltip for the element holding it. */
export function tooltip(content: string): string {
  return el("title", {}, escapeXml(content));
}

/** Shortens to `max` characters (code points, so no emoji is split), ending with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(1, max - 1)).join("")}…`;
}

/** part / whole as a float in [0, 1] for geometry; exact on bigints of any size. */
export function ratio(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  const clamped = part < 0n ? 0n : part > whole ? whole : part;
  return Number((clamped * 1_000_000n) / whole) / 1_000_000;
}

/** part / total as a percentage with one decimal, rounded half up: 1n, 3n -> "33.3%". */
export function percent(part: bigint, total: bigint): string {
  if (total <= 0n) return "0.0%";
  const tenths = (part * 1000n + total / 2n) / total;
  return `${tenths / 10n}.${tenths % 10n}%`;
}

/** The class of a palette colour; any integer maps onto the palette. */
export function categoryClass(index: number): string {
  const i = Number.isInteger(index) ? index : 0;
  return `et-cat-${((i % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE}`;
}

/** A value usable as an XML id: ids come from callers, and two charts on a page need different ones. */
export function safeId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, "-");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `c-${cleaned}`;
}

export interface FrameOptions {
  /** Element id prefix; the <title> and <desc> get `${id}-title` and `${id}-desc`. */
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  /** Extra class on the <svg>, after `et-chart`. */
  className: string;
}

/** The outer <svg>: sized by attributes only, announced as one image named by its title and desc. */
export function frame(o: FrameOptions, body: string): string {
  const id = safeId(o.id);
  return el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      class: `et-chart ${o.className}`,
      viewBox: `0 0 ${num(o.width)} ${num(o.height)}`,
      width: o.width,
      height: o.height,
      role: "img",
      "aria-labelledby": `${id}-title ${id}-desc`,
    },
    el("title", { id: `${id}-title` }, escapeXml(o.title)),
    el("desc", { id: `${id}-desc` }, escapeXml(o.desc)),
    body,
  );
}

/** A chart with nothing to draw: the same frame, one line of text, no geometry to divide by zero. */
export function emptyState(o: Omit<FrameOptions, "height" | "desc">, message: string): string {
  const height = 64;
  return frame(
    { ...o, height, desc: message, className: `${o.className} et-chart-empty` },
    textEl(message, {
      class: "et-muted",
      x: o.width / 2,
      y: height / 2 + 4,
      "text-anchor": "middle",
    }),
  );
}

/** Wraps rendered SVG for hono/jsx, which would otherwise escape it as text. */
export function svgElement(svg: string): HtmlEscapedString {
  return raw(svg);
}
