// Value axes in cents, kept in bigint so large totals never lose precision on the way to ticks.

/** Round ticks covering [min, max] and zero: steps of 1, 2 or 5 × 10^k cents. */
export function niceTicks(min: bigint, max: bigint, target = 5): bigint[] {
  let lo = min < 0n ? min : 0n;
  let hi = max > 0n ? max : 0n;
  if (lo === hi) hi = 100n;
  const span = hi - lo;
  const rough = span / BigInt(target) + 1n;
  let step = 1n;
  for (let p = 1n; ; p *= 10n) {
    const m = [1n, 2n, 5n].find((f) => f * p >= rough);
    if (m !== undefined) {
      step = m * p;
      break;
    }
  }
  lo = floorDiv(lo, step) * step;
  hi = -floorDiv(-hi, step) * step;
  const ticks: bigint[] = [];
  for (let v = lo; v <= hi; v += step) ticks.push(v);
  return ticks;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}
