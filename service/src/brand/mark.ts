// The app's mark: three rising bars, white on the brand colour, in a rounded square. One
// description of its shapes draws both the SVG (favicon, navbar) and the PNG app icons.
import { encodePng } from "./png.ts";

/** The brand colour (a calm teal, 6.2:1 against white) and its tint for dark backgrounds. */
export const BRAND = { colour: "#1a6b6b", tint: "#6cc3bd", background: "#ffffff" } as const;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  r: number;
}

/** In a 100 × 100 square. */
const TILE: Box = { x: 0, y: 0, w: 100, h: 100, r: 22 };
const BARS: Box[] = [
  { x: 22, y: 52, w: 15, h: 26, r: 4 },
  { x: 42.5, y: 37, w: 15, h: 41, r: 4 },
  { x: 63, y: 22, w: 15, h: 56, r: 4 },
];

/** The mark as an SVG document (the favicon); `title` names it for screen readers. */
export function markSvg(): string {
  const rect = (b: Box, fill: string) =>
    `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="${b.r}" fill="${fill}"/>`;
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">',
    rect(TILE, BRAND.colour),
    ...BARS.map((b) => rect(b, "#ffffff")),
    "</svg>",
    "",
  ].join("");
}

function inside(b: Box, px: number, py: number): boolean {
  const cx = Math.min(Math.max(px, b.x + b.r), b.x + b.w - b.r);
  const cy = Math.min(Math.max(py, b.y + b.r), b.y + b.h - b.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= b.r * b.r;
}

const SAMPLES = 4;

/**
 * The mark as a square PNG of `size` pixels. `maskable`: the brand colour fills the whole square
 * and the bars shrink into the middle 60 %, inside the circle any launcher's mask keeps.
 */
export function markPng(size: number, options: { maskable?: boolean } = {}): Buffer {
  const maskable = options.maskable ?? false;
  const scale = maskable ? 0.66 : 1;
  const bars = BARS.map((b) => ({
    x: 50 + (b.x - 50) * scale,
    y: 50 + (b.y - 50) * scale,
    w: b.w * scale,
    h: b.h * scale,
    r: b.r * scale,
  }));
  const tile: Box = maskable ? { ...TILE, r: 0 } : TILE;
  const brand = [1, 3, 5].map((i) => Number.parseInt(BRAND.colour.slice(i, i + 2), 16));
  const at = (px: number, py: number) =>
    inside(tile, px, py) ? (bars.some((b) => inside(b, px, py)) ? 2 : 1) : 0;
  // Every shape is convex: a pixel whose four corners fall alike is uniform, and only the pixels
  // on an edge are sampled.
  const corners = new Uint8Array((size + 1) * (size + 1));
  for (let y = 0; y <= size; y++) {
    for (let x = 0; x <= size; x++)
      corners[y * (size + 1) + x] = at((x * 100) / size, (y * 100) / size);
  }
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = corners[y * (size + 1) + x] ?? 0;
      const uniform =
        corners[y * (size + 1) + x + 1] === c &&
        corners[(y + 1) * (size + 1) + x] === c &&
        corners[(y + 1) * (size + 1) + x + 1] === c;
      let tileHits = uniform && c > 0 ? SAMPLES * SAMPLES : 0;
      let barHits = uniform && c === 2 ? SAMPLES * SAMPLES : 0;
      for (let sy = 0; !uniform && sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const hit = at(
            ((x + (sx + 0.5) / SAMPLES) * 100) / size,
            ((y + (sy + 0.5) / SAMPLES) * 100) / size,
          );
          if (hit > 0) tileHits++;
          if (hit === 2) barHits++;
        }
      }
      const white = tileHits ? barHits / tileHits : 0;
      const o = (y * size + x) * 4;
      for (let ch = 0; ch < 3; ch++) {
        rgba[o + ch] = Math.round((brand[ch] ?? 0) * (1 - white) + 255 * white);
      }
      rgba[o + 3] = Math.round((255 * tileHits) / (SAMPLES * SAMPLES));
    }
  }
  return encodePng(size, size, rgba);
}
