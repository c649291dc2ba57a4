/**
 * The statistics of a baseline comparison, as pure functions: the Mann–Whitney U (Wilcoxon
 * rank-sum) test of two small samples, one-sided in either direction.
 *
 * Why a rank test: a bench's per-round figures (p99 of each window) are few (5 a run by
 * default), skewed, and now and then wild (one GC pause, one noisy neighbour); a rank test
 * assumes no distribution, reads an outlier as one rank, and its null distribution is known
 * exactly for small samples.
 *
 * Exact for samples of up to EXACT_MAX each: the permutation distribution of the rank sum,
 * counted by dynamic programming over the pooled values' midranks (ties included: the exact
 * conditional distribution given the ties, not the tie-free table). Above that, the normal
 * approximation with the tie correction of the variance and a continuity correction of 1/2
 * (as scipy.stats.mannwhitneyu does with method="asymptotic").
 */

/** Samples of up to this many values each get the exact distribution. */
export const EXACT_MAX = 20;

export interface RankTest {
  /** The sizes of x (the baseline) and y (now). */
  n: number;
  m: number;
  /** U of y: the pairs (x_i, y_j) with y_j > x_i, plus half of those tied. 0..n·m. */
  u: number;
  /** P(U ≥ u) under the null: evidence that y is stochastically greater than x. */
  pGreater: number;
  /** P(U ≤ u) under the null: evidence that y is stochastically smaller than x. */
  pLess: number;
  method: "exact" | "normal";
}

/** U of y against x: Σ over pairs of [y_j > x_i] + ½[y_j = x_i]. */
export function uStatistic(x: readonly number[], y: readonly number[]): number {
  let u = 0;
  for (const b of y) {
    for (const a of x) {
      if (b > a) u += 1;
      else if (b === a) u += 0.5;
    }
  }
  return u;
}

/** The midranks (1-based; tied values share the mean of their ranks) of `values`, in order. */
export function midranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[(order[k] as { index: number }).index] = rank;
    start = end + 1;
  }
  return ranks;
}

/** The sizes of the groups of tied values (1 for a value that is not tied). */
function tieGroups(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.values()];
}

export function mannWhitney(x: readonly number[], y: readonly number[]): RankTest {
  const n = x.length;
  const m = y.length;
  const u = uStatistic(x, y);
  if (n === 0 || m === 0) return { n, m, u, pGreater: 1, pLess: 1, method: "exact" };
  if (n <= EXACT_MAX && m <= EXACT_MAX) {
    const { pGreater, pLess } = exactTails(x, y, u);
    return { n, m, u, pGreater, pLess, method: "exact" };
  }
  const { pGreater, pLess } = normalTails(x, y, u);
  return { n, m, u, pGreater, pLess, method: "normal" };
}

/**
 * The exact permutation distribution: every way of choosing which m of the N = n + m pooled
 * values are y's is equally likely under the null; U of y is its rank sum minus m(m+1)/2.
 * Counted with doubled midranks (integers even with ties) by subset-sum dynamic programming:
 * ways[j][s] = the subsets of j values with doubled rank sum s. C(40, 20) ≈ 1.4e11 fits a
 * double exactly, so for samples of up to 20 each every count is exact.
 */
export function exactTails(
  x: readonly number[],
  y: readonly number[],
  u = uStatistic(x, y),
): { pGreater: number; pLess: number } {
  const m = y.length;
  const doubled = midranks([...x, ...y]).map((rank) => Math.round(rank * 2));
  const maxSum = doubled.reduce((sum, rank) => sum + rank, 0);
  // ways[j * (maxSum + 1) + s]
  const width = maxSum + 1;
  const ways = new Float64Array((m + 1) * width);
  ways[0] = 1;
  let reached = 0;
  for (const rank of doubled) {
    reached += rank;
    for (let j = m; j >= 1; j--) {
      const row = j * width;
      const below = (j - 1) * width;
      for (let s = reached; s >= rank; s--) {
        const add = ways[below + s - rank] as number;
        if (add !== 0) ways[row + s] = (ways[row + s] as number) + add;
      }
    }
  }
  // The observed doubled rank sum of y: 2U + m(m+1).
  const observed = Math.round(2 * u + m * (m + 1));
  let total = 0;
  let atLeast = 0;
  let atMost = 0;
  const row = m * width;
  for (let s = 0; s <= maxSum; s++) {
    const count = ways[row + s] as number;
    if (count === 0) continue;
    total += count;
    if (s >= observed) atLeast += count;
    if (s <= observed) atMost += count;
  }
  return { pGreater: atLeast / total, pLess: atMost / total };
}

/**
 * The normal approximation: mean nm/2, variance nm/12 · ((N + 1) − Σ(t³ − t) / (N(N − 1)))
 * over the groups of t tied values, and a continuity correction of ½ toward the mean.
 */
export function normalTails(
  x: readonly number[],
  y: readonly number[],
  u = uStatistic(x, y),
): { pGreater: number; pLess: number } {
  const n = x.length;
  const m = y.length;
  const total = n + m;
  const ties = tieGroups([...x, ...y]).reduce((sum, t) => sum + (t ** 3 - t), 0);
  const variance = ((n * m) / 12) * (total + 1 - ties / (total * (total - 1)));
  if (!(variance > 0)) return { pGreater: 1, pLess: 1 };
  const sd = Math.sqrt(variance);
  const mean = (n * m) / 2;
  return {
    pGreater: clamp01(1 - normalCdf((u - mean - 0.5) / sd)),
    pLess: clamp01(normalCdf((u - mean + 0.5) / sd)),
  };
}

/**
 * The smallest one-sided p-value samples of these sizes can reach (no ties): 1 / C(n+m, m).
 * With 3 rounds each it is 0.05; with 2, 0.167: no change could ever be significant at 0.05.
 */
export function smallestP(n: number, m: number): number {
  if (n === 0 || m === 0) return 1;
  let ways = 1;
  for (let k = 1; k <= m; k++) ways = (ways * (n + k)) / k;
  return 1 / Math.round(ways);
}

/** Φ(z), the standard normal distribution function. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return z >= 0 ? 1 - erfc(z / Math.SQRT2) / 2 : erfc(-z / Math.SQRT2) / 2;
}

/**
 * erfc(x) for x ≥ 0: W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969),
 * as in the netlib SPECFUN CALERF, relative error below 1e-15 in double precision.
 */
export function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 0.5) return 1 - erfSmall(x);
  if (x < 4) {
    const P = [
      0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
      1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
    ];
    const Q = [
      15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903,
      3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495,
    ];
    let num = (P[8] as number) * x;
    let den = x;
    for (let i = 0; i < 7; i++) {
      num = (num + (P[i] as number)) * x;
      den = (den + (Q[i] as number)) * x;
    }
    const ratio = (num + (P[7] as number)) / (den + (Q[7] as number));
    return scaledExp(x) * ratio;
  }
  if (x >= 27) return 0;
  const P = [
    0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
    0.0006587491615298378, 0.016315387137302097,
  ];
  const Q = [
    2.568520192289822, 1.8729528499234673, 0.5279051029514285, 0.06051834131244132,
    0.0023352049762686918,
  ];
  const z = 1 / (x * x);
  let num = (P[5] as number) * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + (P[i] as number)) * z;
    den = (den + (Q[i] as number)) * z;
  }
  let ratio = (z * (num + (P[4] as number))) / (den + (Q[4] as number));
  ratio = (1 / Math.sqrt(Math.PI) - ratio) / x;
  return scaledExp(x) * ratio;
}

/** erf(x) for |x| < 0.5 (Cody's first interval). */
function erfSmall(x: number): number {
  const A = [
    3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694,
    0.18577770618460315,
  ];
  const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
  const z = x * x;
  let num = (A[4] as number) * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + (A[i] as number)) * z;
    den = (den + (B[i] as number)) * z;
  }
  return (x * (num + (A[3] as number))) / (den + (B[3] as number));
}

/** exp(−x²), computed in two parts to keep its precision for large x (as CALERF does). */
function scaledExp(x: number): number {
  const head = Math.trunc(x * 16) / 16;
  const delta = (x - head) * (x + head);
  return Math.exp(-head * head) * Math.exp(-delta);
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
