/**
 * The statistics of the baseline comparison against values known independently: the exact
 * Mann–Whitney tails of tiny samples against a brute-force enumeration of every way of
 * splitting the pooled values (ties included), against hand-computed values, and the normal
 * approximation against scipy.stats.mannwhitneyu (1.17, method="asymptotic"), erfc against
 * scipy.special.erfc.
 */
import { describe, expect, it } from "vitest";
import {
  EXACT_MAX,
  erfc,
  exactTails,
  mannWhitney,
  midranks,
  normalCdf,
  normalTails,
  smallestP,
  uStatistic,
} from "../../src/load/baseline/noise.js";
import { Random } from "../../src/util/random.js";

/** Every way of choosing which m of the pooled values are y's: P(U ≥ u) and P(U ≤ u). */
function bruteForce(x: number[], y: number[]): { pGreater: number; pLess: number } {
  const pooled = [...x, ...y];
  const observed = uStatistic(x, y);
  let total = 0;
  let atLeast = 0;
  let atMost = 0;
  const choose = (start: number, picked: number[]) => {
    if (picked.length === y.length) {
      const ys = picked.map((index) => pooled[index] as number);
      const xs = pooled.filter((_, index) => !picked.includes(index));
      const u = uStatistic(xs, ys);
      total++;
      if (u >= observed - 1e-9) atLeast++;
      if (u <= observed + 1e-9) atMost++;
      return;
    }
    for (let index = start; index < pooled.length; index++) choose(index + 1, [...picked, index]);
  };
  choose(0, []);
  return { pGreater: atLeast / total, pLess: atMost / total };
}

/** A seeded generator (the project's mulberry32). */
function random(seed: number): () => number {
  const generator = new Random(seed);
  return () => generator.next();
}

describe("the U statistic and midranks", () => {
  it("counts the pairs y beats, ties as a half", () => {
    expect(uStatistic([1, 2, 3], [4, 5, 6])).toBe(9);
    expect(uStatistic([4, 5, 6], [1, 2, 3])).toBe(0);
    // y=2 ties one x and beats one; y=3 beats both... by hand: 1.5 + 2 + 0
    expect(uStatistic([1, 2], [2, 3, 0])).toBe(3.5);
    expect(uStatistic([1, 2], [2, 3]) + uStatistic([2, 3], [1, 2])).toBe(4);
  });

  it("gives tied values the mean of their ranks", () => {
    expect(midranks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
    expect(midranks([3, 1, 2])).toEqual([3, 1, 2]);
  });
});

describe("the exact distribution (samples of up to 20)", () => {
  it("matches values computed by hand", () => {
    // Fully separated, 5 and 5: one split of C(10, 5) = 252 is as extreme.
    const separated = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(separated).toMatchObject({ u: 25, method: "exact", pLess: 1 });
    expect(separated.pGreater).toBeCloseTo(1 / 252, 15);
    // 3 and 3: 1 / C(6, 3) = 1/20.
    expect(mannWhitney([1, 2, 3], [4, 5, 6]).pGreater).toBeCloseTo(0.05, 15);
    // 2 and 2: U of y ∈ {0, 1, 2, 2, 3, 4} over the 6 splits; observed U = 3 (y = {2, 4}
    // against x = {1, 3}): P(U ≥ 3) = 2/6, P(U ≤ 3) = 5/6.
    const small = mannWhitney([1, 3], [2, 4]);
    expect(small.u).toBe(3);
    expect(small.pGreater).toBeCloseTo(2 / 6, 15);
    expect(small.pLess).toBeCloseTo(5 / 6, 15);
    // The other direction is the mirror image.
    expect(mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).pLess).toBeCloseTo(1 / 252, 15);
  });

  it("matches a brute-force enumeration of every split, without ties", () => {
    const next = random(7);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + Math.floor(next() * 6);
      const m = 1 + Math.floor(next() * 6);
      const x = Array.from({ length: n }, () => next() * 10);
      const y = Array.from({ length: m }, () => next() * 10 + next() * 3);
      const exact = exactTails(x, y);
      const brute = bruteForce(x, y);
      expect(exact.pGreater, `${x} | ${y}`).toBeCloseTo(brute.pGreater, 12);
      expect(exact.pLess, `${x} | ${y}`).toBeCloseTo(brute.pLess, 12);
    }
  });

  it("matches a brute-force enumeration with ties (the exact conditional distribution)", () => {
    // scipy's method="exact" uses the tie-free table here (0.111); the permutation
    // distribution given the ties is 22/252.
    const tied = exactTails([1, 2, 2, 3, 5], [2, 3, 4, 6, 7]);
    expect(tied.pGreater).toBeCloseTo(22 / 252, 15);
    expect(bruteForce([1, 2, 2, 3, 5], [2, 3, 4, 6, 7]).pGreater).toBeCloseTo(22 / 252, 15);
    const next = random(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + Math.floor(next() * 6);
      const m = 1 + Math.floor(next() * 6);
      // Few distinct values: many ties, as quantised histogram percentiles have.
      const x = Array.from({ length: n }, () => Math.floor(next() * 4));
      const y = Array.from({ length: m }, () => Math.floor(next() * 5));
      const exact = exactTails(x, y);
      const brute = bruteForce(x, y);
      expect(exact.pGreater, `${x} | ${y}`).toBeCloseTo(brute.pGreater, 12);
      expect(exact.pLess, `${x} | ${y}`).toBeCloseTo(brute.pLess, 12);
    }
  });

  it("every value tied: no evidence either way", () => {
    expect(mannWhitney([2, 2, 2], [2, 2, 2])).toMatchObject({ pGreater: 1, pLess: 1 });
  });

  it("is exact up to 20 each and exact at 20 (C(40, 20) splits)", () => {
    const x = Array.from({ length: EXACT_MAX }, (_, i) => i);
    const y = Array.from({ length: EXACT_MAX }, (_, i) => 100 + i);
    const test = mannWhitney(x, y);
    expect(test.method).toBe("exact");
    expect(test.pGreater).toBe(1 / 137_846_528_820);
    expect(mannWhitney([...x, 50], y).method).toBe("normal");
  });

  it("knows the smallest p-value a number of rounds can reach", () => {
    expect(smallestP(5, 5)).toBeCloseTo(1 / 252, 15);
    expect(smallestP(3, 3)).toBeCloseTo(0.05, 15);
    expect(smallestP(2, 2)).toBeCloseTo(1 / 6, 15);
    expect(smallestP(0, 4)).toBe(1);
  });
});

describe("the normal approximation (above 20)", () => {
  it("matches scipy.stats.mannwhitneyu(method='asymptotic'), without and with ties", () => {
    const a = Array.from({ length: 25 }, (_, i) => (i * 1.3) % 7);
    const b = Array.from({ length: 25 }, (_, i) => ((i * 2.1) % 9) + 0.5);
    const test = mannWhitney(a, b);
    expect(test).toMatchObject({ u: 417, method: "normal" });
    expect(test.pGreater).toBeCloseTo(0.021785886623648693, 12);
    expect(test.pLess).toBeCloseTo(0.9792046637643506, 12);
    const x = [1, 1, 2, 2, 2, 3, 4, 4, 4];
    const y = [2, 2, 3, 3, 3, 4, 5, 5, ...Array(14).fill(1), ...Array(5).fill(6)];
    const tied = mannWhitney(x, y);
    expect(tied).toMatchObject({ u: 108, method: "normal" });
    expect(tied.pGreater).toBeCloseTo(0.7046243083014372, 12);
    expect(tied.pLess).toBeCloseTo(0.30877101026705184, 12);
  });

  it("is close to the exact distribution at 20 each", () => {
    const next = random(3);
    const x = Array.from({ length: 20 }, () => next());
    const y = Array.from({ length: 20 }, () => next() + 0.2);
    const exact = exactTails(x, y);
    const normal = normalTails(x, y);
    expect(Math.abs(exact.pGreater - normal.pGreater)).toBeLessThan(0.005);
  });

  it("erfc and Φ agree with scipy to 1e-15 relative", () => {
    const scipy: [number, number][] = [
      [0, 1],
      [0.1, 0.8875370839817152],
      [0.49, 0.48833173881147696],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028516],
      [2.5, 0.00040695201744495886],
      [3.9, 3.479224859723178e-8],
      [4, 1.541725790028002e-8],
      [5, 1.5374597944280347e-12],
      [8, 1.1224297172982928e-29],
    ];
    for (const [x, expected] of scipy) {
      expect(Math.abs(erfc(x) - expected) / expected, `erfc(${x})`).toBeLessThan(1e-14);
    }
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300946, 14);
    expect(normalCdf(0)).toBe(0.5);
  });
});
