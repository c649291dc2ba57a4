/**
 * A run against its baseline (`bench --baseline FILE`).
 *
 * First the settings: a baseline taken with other settings (the scenario set, a scenario's
 * duration, warm-up, rounds, load model, connections or rate, the target, the embedded
 * server's size, the shard) is refused in one line naming what differs, before any load is
 * sent (`settingsRefusal`, from the planned run), never compared: a p99 at 10 connections
 * says nothing about one at 50.
 *
 * Then per scenario and per metric (p50, p90, p99, p99.9, req/s) the noise model: the
 * baseline's R per-round values against the run's R per-round values, a one-sided
 * Mann–Whitney U test (./noise.ts) in each direction at `alpha`; a change is a verdict only
 * if it is significant AND beyond the minimum effect (the worse figure at least
 * 1 + minEffectPct/100 times the better, for req/s as for latencies) AND, for a latency,
 * more than `minEffectMs` apart (on loopback sub-millisecond jitter is not a regression).
 * The figures shown are the whole run's (the percentile of the whole histogram, the rps of
 * the whole measured time); the rounds only judge whether their change is beyond the noise.
 */
import { ExitCode, UserError } from "../../util/exit-codes.js";
import { decodeHistogram, percentileMs } from "../histogram.js";
import type {
  BenchReport,
  LoadModel,
  RoundPoint,
  ScenarioResult,
  ShardIdentity,
} from "../results.js";
import type { BaselineFile, BaselineScenario } from "./file.js";
import { mannWhitney, smallestP } from "./noise.js";

export type BaselineMetric = "p50" | "p90" | "p99" | "p99.9" | "rps";
export type BaselineVerdict = "slower" | "faster" | "same";

export interface NoiseSettings {
  /** The significance level of each one-sided test. */
  alpha: number;
  /** The smallest change that counts, in % of the better figure. */
  minEffectPct: number;
  /** Latencies: the smallest change that counts, in ms. */
  minEffectMs: number;
}

export const DEFAULT_NOISE: NoiseSettings = { alpha: 0.05, minEffectPct: 10, minEffectMs: 0.5 };

export interface MetricComparison {
  metric: BaselineMetric;
  unit: "ms" | "req/s";
  /** The whole baseline run's figure and the whole run's. */
  baseline: number;
  now: number;
  /** (now − baseline) / baseline, in %; null when the baseline is 0. */
  changePct: number | null;
  verdict: BaselineVerdict;
  /** One-sided p-values of the rounds: that the run is slower, that it is faster. */
  pSlower: number;
  pFaster: number;
  method: "exact" | "normal";
  /** The one-sided p-value in the direction of the change (the smaller one if none). */
  p: number;
  /**
   * Why the verdict: beyond the noise (significant, beyond the minimum effect and the floor),
   * or the same because within the noise (not significant), under the minimum effect, or
   * under the floor.
   */
  reason: "beyond the noise" | "within the noise" | "under the minimum effect" | "under the floor";
  /** As a sentence: `beyond the noise (p=0.004, 5 rounds each)`. */
  why: string;
  /** The per-round values the test ranked. */
  baselineRounds: number[];
  nowRounds: number[];
}

export interface ScenarioComparison {
  name: string;
  /** slower if any metric is; faster if any is and none slower; `not compared` if incomplete. */
  verdict: BaselineVerdict | "not compared";
  metrics: MetricComparison[];
  rounds: { baseline: number; now: number };
  /** The baseline's latency histogram (compressed base64, µs): bench.html draws its curve. */
  histogram: string;
  note?: string;
}

export interface BaselineComparison {
  /** The file as given. */
  file: string;
  savedAt: string;
  runId: string;
  alpha: number;
  minEffectPct: number;
  minEffectMs: number;
  /** Some scenario is slower beyond the noise: the run fails (exit 1). */
  regressed: boolean;
  scenarios: ScenarioComparison[];
  /** E.g. too few rounds for any change to be significant. */
  note?: string;
}

// ---------------------------------------------------------------------------------------
// The settings.

/** What a run will do, known before it sends anything. */
export interface PlannedRun {
  scenarios: {
    name: string;
    /** The whole run's model (a shard's whole model, not its share). */
    model: LoadModel;
    durationSeconds: number;
    warmupSeconds: number;
    rounds: number;
  }[];
  /** The base URL, or the embedded server and its size. */
  target: { baseUrl?: string; embedded: boolean; tickets?: number };
  shard?: ShardIdentity;
}

/** The run a report describes, as a plan (to check a finished run as a planned one). */
export function plannedOf(report: BenchReport): PlannedRun {
  return {
    scenarios: report.scenarios.map((scenario) => ({
      name: scenario.name,
      model: scenario.settings.wholeModel ?? scenario.model,
      durationSeconds: scenario.settings.durationSeconds,
      warmupSeconds: scenario.settings.warmupSeconds,
      rounds: scenario.settings.rounds,
    })),
    target: {
      ...(report.target.embedded ? {} : { baseUrl: report.target.baseUrl }),
      embedded: report.target.embedded,
      ...(report.target.tickets !== undefined ? { tickets: report.target.tickets } : {}),
    },
    ...(report.shard ? { shard: report.shard } : {}),
  };
}

/**
 * Why the baseline cannot be compared with this run, in one line (every difference, each
 * with the baseline's value and this run's), or undefined when its settings are the same.
 */
export function settingsDifference(baseline: BaselineFile, run: PlannedRun): string | undefined {
  const differences: string[] = [];
  const there = baseline.scenarios.map((scenario) => scenario.name);
  const here = run.scenarios.map((scenario) => scenario.name);
  if ([...there].sort().join("\n") !== [...here].sort().join("\n")) {
    differences.push(`scenarios ${there.join(", ")} there, ${here.join(", ")} here`);
  }
  // Per scenario; a difference every shared scenario has is said once, without names.
  const byText = new Map<string, string[]>();
  const shared = run.scenarios.filter((scenario) => there.includes(scenario.name));
  for (const planned of shared) {
    const saved = baseline.scenarios.find((item) => item.name === planned.name) as BaselineScenario;
    for (const text of scenarioDifferences(saved, planned)) {
      byText.set(text, [...(byText.get(text) ?? []), planned.name]);
    }
  }
  for (const [text, names] of byText) {
    differences.push(
      names.length === shared.length && shared.length > 1 ? text : `${names.join(", ")}: ${text}`,
    );
  }
  const target = targetDifference(baseline.target, run.target);
  if (target) differences.push(target);
  const shardText = (shard?: ShardIdentity) =>
    shard ? `shard ${shard.index}/${shard.count}` : "no shard";
  if (shardText(baseline.shard) !== shardText(run.shard)) {
    differences.push(`${shardText(baseline.shard)} there, ${shardText(run.shard)} here`);
  }
  return differences.length === 0 ? undefined : differences.join("; ");
}

function scenarioDifferences(
  saved: BaselineScenario,
  planned: PlannedRun["scenarios"][number],
): string[] {
  const differences: string[] = [];
  const differ = (what: string, a: string, b: string) => {
    if (a !== b) differences.push(`${what} ${a} there, ${b} here`);
  };
  differ("duration", seconds(saved.settings.durationSeconds), seconds(planned.durationSeconds));
  differ("warm-up", seconds(saved.settings.warmupSeconds), seconds(planned.warmupSeconds));
  differ("rounds", String(saved.settings.rounds), String(planned.rounds));
  const model = saved.wholeModel ?? saved.model;
  if (model.kind !== planned.model.kind) {
    differ("model", modelText(model), modelText(planned.model));
  } else if (model.kind === "closed" && planned.model.kind === "closed") {
    differ("connections", String(model.connections), String(planned.model.connections));
  } else if (model.kind === "open" && planned.model.kind === "open") {
    differ("rate", `${model.rate}/s`, `${planned.model.rate}/s`);
    if (model.rate === planned.model.rate) {
      differ("in-flight cap", String(model.maxInFlight), String(planned.model.maxInFlight));
    }
  }
  return differences;
}

function targetDifference(
  saved: BaselineFile["target"],
  planned: PlannedRun["target"],
): string | undefined {
  const text = (target: { baseUrl?: string; embedded: boolean; tickets?: number }) =>
    target.embedded
      ? `the embedded server${target.tickets !== undefined ? ` (${target.tickets.toLocaleString("en-US")} tickets)` : ""}`
      : normalUrl(target.baseUrl ?? "");
  if (saved.embedded && planned.embedded) {
    return saved.tickets !== planned.tickets
      ? `embedded server's tickets ${saved.tickets?.toLocaleString("en-US") ?? "unknown"} there, ${planned.tickets?.toLocaleString("en-US") ?? "unknown"} here`
      : undefined;
  }
  const a = text(saved);
  const b = text(planned);
  return a === b ? undefined : `target ${a} there, ${b} here`;
}

/** A base URL as compared: no trailing slash, the host lower-case (as URL writes it). */
function normalUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

/** Throws the one-line refusal (exit 2) when the baseline's settings are not the run's. */
export function refuseOtherSettings(baseline: BaselineFile, run: PlannedRun, file: string): void {
  const difference = settingsDifference(baseline, run);
  if (difference) {
    throw new UserError(
      `--baseline ${file} was taken with other settings, not compared: ${difference}`,
    );
  }
}

// ---------------------------------------------------------------------------------------
// The comparison.

interface MetricDefinition {
  metric: BaselineMetric;
  percentile?: number;
  round: (round: RoundPoint) => number;
}

const METRICS: MetricDefinition[] = [
  { metric: "p50", percentile: 50, round: (round) => round.p50Ms },
  { metric: "p90", percentile: 90, round: (round) => round.p90Ms },
  { metric: "p99", percentile: 99, round: (round) => round.p99Ms },
  { metric: "p99.9", percentile: 99.9, round: (round) => round.p999Ms },
  { metric: "rps", round: (round) => round.rps },
];

export function compareWithBaseline(
  report: BenchReport,
  baseline: BaselineFile,
  file: string,
  noise: NoiseSettings = DEFAULT_NOISE,
): BaselineComparison {
  // An interrupted run is compared on the scenarios it ran (the others were never sent).
  const ran = new Set(report.scenarios.map((scenario) => scenario.name));
  const saved =
    report.verdict === "incomplete"
      ? { ...baseline, scenarios: baseline.scenarios.filter((item) => ran.has(item.name)) }
      : baseline;
  refuseOtherSettings(saved, plannedOf(report), file);
  const scenarios = report.scenarios.map((scenario) =>
    compareScenario(
      scenario,
      baseline.scenarios.find((item) => item.name === scenario.name) as BaselineScenario,
      noise,
    ),
  );
  const rounds = Math.min(...report.scenarios.map((scenario) => scenario.settings.rounds), 1_000);
  const floor = smallestP(rounds, rounds);
  return {
    file,
    savedAt: baseline.savedAt,
    runId: baseline.runId,
    alpha: noise.alpha,
    minEffectPct: noise.minEffectPct,
    minEffectMs: noise.minEffectMs,
    regressed: scenarios.some((scenario) => scenario.verdict === "slower"),
    scenarios,
    ...(floor > noise.alpha
      ? {
          note: `with ${rounds} rounds each no change can reach p ≤ ${noise.alpha} (the smallest p is ${pText(floor)}): nothing can be called slower or faster; use more rounds`,
        }
      : {}),
  };
}

function compareScenario(
  scenario: ScenarioResult,
  saved: BaselineScenario,
  noise: NoiseSettings,
): ScenarioComparison {
  const rounds = { baseline: saved.rounds.length, now: scenario.rounds.length };
  if (scenario.incomplete || scenario.rounds.length !== scenario.settings.rounds) {
    return {
      name: scenario.name,
      verdict: "not compared",
      metrics: [],
      rounds,
      histogram: saved.histograms.latency,
      note: `not compared: ${scenario.incomplete ?? `${scenario.rounds.length} of ${scenario.settings.rounds} rounds measured`}`,
    };
  }
  const before = decodeHistogram(saved.histograms.latency);
  const after = decodeHistogram(scenario.histograms.latency);
  const metrics = METRICS.map((definition) =>
    judgeMetric({
      metric: definition.metric,
      baseline:
        definition.percentile === undefined
          ? saved.rps
          : percentileMs(before, definition.percentile),
      now:
        definition.percentile === undefined
          ? scenario.rps
          : percentileMs(after, definition.percentile),
      baselineRounds: saved.rounds.map(definition.round),
      nowRounds: scenario.rounds.map(definition.round),
      noise,
    }),
  );
  const verdict = metrics.some((item) => item.verdict === "slower")
    ? "slower"
    : metrics.some((item) => item.verdict === "faster")
      ? "faster"
      : "same";
  return { name: scenario.name, verdict, metrics, rounds, histogram: saved.histograms.latency };
}

export interface MetricInput {
  metric: BaselineMetric;
  baseline: number;
  now: number;
  baselineRounds: number[];
  nowRounds: number[];
  noise: NoiseSettings;
}

/**
 * One metric's verdict, a pure function of the whole-run figures and the per-round values:
 * slower when the rounds say so at `alpha` (one-sided) and the whole-run figures differ by
 * more than the minimum effect (and, for a latency, the floor) in the worse direction;
 * faster the same way in the better one; else the same within the noise.
 */
export function judgeMetric(input: MetricInput): MetricComparison {
  const { metric, baseline, now, baselineRounds, nowRounds, noise } = input;
  const latency = metric !== "rps";
  const test = mannWhitney(baselineRounds, nowRounds);
  // For a latency higher is worse; for req/s lower is.
  const pSlower = latency ? test.pGreater : test.pLess;
  const pFaster = latency ? test.pLess : test.pGreater;
  const changePct = baseline === 0 ? (now === 0 ? 0 : null) : ((now - baseline) / baseline) * 100;
  const worse = latency ? now > baseline : now < baseline;
  const better = latency ? now < baseline : now > baseline;
  const high = Math.max(now, baseline);
  const low = Math.min(now, baseline);
  // The worse figure against the better: a 10% minimum effect is 1.1 times, both ways.
  const ratio = low > 0 ? high / low : high > 0 ? Number.POSITIVE_INFINITY : 1;
  const bigEnough = ratio - 1 > noise.minEffectPct / 100;
  const farEnough = !latency || high - low > noise.minEffectMs;
  const rounds = test.n === test.m ? `${test.n} rounds each` : `${test.n} and ${test.m} rounds`;
  const base = {
    metric,
    unit: latency ? ("ms" as const) : ("req/s" as const),
    baseline,
    now,
    changePct,
    pSlower,
    pFaster,
    method: test.method,
    baselineRounds,
    nowRounds,
  };
  const direction = worse ? "slower" : better ? "faster" : undefined;
  const p = worse ? pSlower : better ? pFaster : Math.min(pSlower, pFaster);
  const odds = `p=${pText(p)}, ${rounds}`;
  if (direction === undefined || !(p <= noise.alpha)) {
    return {
      ...base,
      p,
      verdict: "same",
      reason: "within the noise",
      why: `within the noise (${odds})`,
    };
  }
  if (!bigEnough) {
    return {
      ...base,
      p,
      verdict: "same",
      reason: "under the minimum effect",
      why: `under the minimum effect of ${noise.minEffectPct}% (${odds})`,
    };
  }
  if (!farEnough) {
    return {
      ...base,
      p,
      verdict: "same",
      reason: "under the floor",
      why: `under the floor of ${noise.minEffectMs} ms (${odds})`,
    };
  }
  return {
    ...base,
    p,
    verdict: direction,
    reason: "beyond the noise",
    why: `beyond the noise (${odds})`,
  };
}

/**
 * The report with its comparison: a scenario slower beyond the noise fails (its verdict and
 * the run's: exit 1, as a broken threshold does; an incomplete run stays incomplete).
 */
export function withBaseline(report: BenchReport, comparison: BaselineComparison): BenchReport {
  const slower = new Set(
    comparison.scenarios.filter((item) => item.verdict === "slower").map((item) => item.name),
  );
  const scenarios = report.scenarios.map((scenario) =>
    slower.has(scenario.name) ? { ...scenario, verdict: "fail" as const } : scenario,
  );
  const verdict = report.verdict === "pass" && slower.size > 0 ? "fail" : report.verdict;
  return {
    ...report,
    scenarios,
    verdict,
    exitCode: verdict === report.verdict ? report.exitCode : ExitCode.RuleBroken,
    baseline: comparison,
  };
}

// ---------------------------------------------------------------------------------------
// As text.

/** A verdict as a table cell says it: `slower (p=0.004)`, `same: under the floor (p=0.004)`. */
export function verdictText(item: MetricComparison): string {
  const odds = `p=${pText(item.p)}`;
  if (item.verdict !== "same") return `${item.verdict} (${odds})`;
  return item.reason === "within the noise"
    ? `same within noise (${odds})`
    : `same: ${item.reason} (${odds})`;
}

/** `0.004`, `0.087`, `0.42`, `<0.001`. */
export function pText(p: number): string {
  if (p < 0.001) return "<0.001";
  return String(Number(p.toFixed(3)));
}

/** `+674%`, `-3.2%`, `0%`, `new` (from a baseline of 0). */
export function changeText(changePct: number | null): string {
  if (changePct === null) return "new";
  if (changePct === 0) return "0%";
  const size = Math.abs(changePct);
  // -99.5% is not -100% (the rate did not fall to nothing): one decimal where rounding would say so.
  const whole = Math.round(size);
  const digits = size < 10 || (whole === 100 && size !== 100) ? Number(size.toFixed(1)) : whole;
  const shown = Math.sign(changePct) * digits;
  return `${shown > 0 ? "+" : ""}${shown}%`;
}

/** A metric's figure: `3.10 ms`, `24.0 ms`, `1,203` (req/s: the metric's name says the unit). */
export function figureText(value: number, unit: MetricComparison["unit"]): string {
  if (unit === "req/s") {
    return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
  }
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

/** The metric as a reader names it: `p99`, `p99.9`, `req/s`. */
export function metricName(metric: BaselineMetric): string {
  return metric === "rps" ? "req/s" : metric;
}

/** `slower: list-default p99 3.10 ms -> 24.0 ms (+674%), beyond the noise (p=0.004, 5 rounds each)`. */
export function comparisonLine(scenario: string, item: MetricComparison): string {
  return `${item.verdict}: ${scenario} ${metricName(item.metric)} ${figureText(item.baseline, item.unit)} -> ${figureText(item.now, item.unit)} (${changeText(item.changePct)}), ${item.why}`;
}

function seconds(value: number): string {
  return `${Number(value.toFixed(3))} s`;
}

function modelText(model: LoadModel): string {
  return model.kind === "closed"
    ? `closed (${model.connections} connections)`
    : `open (${model.rate}/s)`;
}
