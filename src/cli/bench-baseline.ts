/**
 * `bench --baseline FILE` and `--save-baseline FILE`, for bench-command.ts: the flags, the
 * baseline read and its settings checked against the planned run before any load is sent
 * (a refusal is one line, exit 2), the run compared with it at its end (a scenario slower
 * beyond the noise fails the run, exit 1), the lines printed, and the run saved as the
 * next baseline.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import {
  type BaselineComparison,
  compareWithBaseline,
  comparisonLine,
  DEFAULT_NOISE,
  type NoiseSettings,
  type PlannedRun,
  pText,
  refuseOtherSettings,
  withBaseline,
} from "../load/baseline/compare.js";
import { type BaselineFile, loadBaseline, saveBaseline } from "../load/baseline/file.js";
import { type BenchSettings, DEFAULT_ROUNDS, planScenarios } from "../load/bench.js";
import type { BenchReport } from "../load/results.js";
import { UserError } from "../util/exit-codes.js";
import { number } from "./option-parsers.js";

export interface BaselineFlags {
  baseline?: string;
  saveBaseline?: string;
  minEffect?: number;
  minEffectMs?: number;
  alpha?: number;
}

export function baselineOptions(command: Command): Command {
  return command
    .option(
      "--baseline <file>",
      "compare with a baseline (from --save-baseline, or a bench.json): a scenario slower beyond the noise fails the run (exit 1)",
    )
    .option("--save-baseline <file>", "save this run as a baseline for later runs to compare with")
    .option(
      "--min-effect <pct>",
      "with --baseline: the smallest change that counts, in % (default 10)",
      number("--min-effect", 0, 10_000, false),
    )
    .option(
      "--min-effect-ms <ms>",
      "with --baseline: the smallest latency change that counts, in ms (default 0.5)",
      number("--min-effect-ms", 0, 3_600_000, false),
    )
    .option(
      "--alpha <p>",
      "with --baseline: the significance level of the rank test (default 0.05)",
      number("--alpha", 0.0001, 0.5, false),
    );
}

export function noiseOf(flags: BaselineFlags): NoiseSettings {
  return {
    alpha: flags.alpha ?? DEFAULT_NOISE.alpha,
    minEffectPct: flags.minEffect ?? DEFAULT_NOISE.minEffectPct,
    minEffectMs: flags.minEffectMs ?? DEFAULT_NOISE.minEffectMs,
  };
}

/**
 * The baseline, read and checked against the run as planned, before anything is sent;
 * undefined without --baseline. Refuses (exit 2) a malformed file, or one taken with other
 * settings, in one line.
 */
export async function baselineUpFront(
  flags: BaselineFlags,
  settings: BenchSettings,
  target: { baseUrl?: string; tickets: number },
): Promise<BaselineFile | undefined> {
  if (flags.baseline === undefined) {
    const stray = (["minEffect", "minEffectMs", "alpha"] as const).find(
      (name) => flags[name] !== undefined,
    );
    if (stray) {
      const flag = { minEffect: "--min-effect", minEffectMs: "--min-effect-ms", alpha: "--alpha" };
      throw new UserError(`${flag[stray]} judges a comparison: give --baseline FILE with it`);
    }
    return undefined;
  }
  const baseline = loadBaseline(flags.baseline);
  const plans = await planScenarios(settings);
  const planned: PlannedRun = {
    scenarios: plans.map((plan) => ({
      name: plan.scenario.name,
      model: plan.wholeModel,
      durationSeconds: plan.durationSeconds,
      warmupSeconds: plan.warmupSeconds,
      rounds: settings.rounds ?? DEFAULT_ROUNDS,
    })),
    target: target.baseUrl
      ? { baseUrl: target.baseUrl, embedded: false }
      : { embedded: true, tickets: target.tickets },
    ...(settings.shard ? { shard: settings.shard } : {}),
  };
  refuseOtherSettings(baseline, planned, flags.baseline);
  return baseline;
}

/** The run compared with its baseline (the report with `baseline` and its verdict). */
export function compared(
  report: BenchReport,
  baseline: BaselineFile | undefined,
  flags: BaselineFlags,
): BenchReport {
  if (!baseline || flags.baseline === undefined) return report;
  return withBaseline(
    report,
    compareWithBaseline(report, baseline, flags.baseline, noiseOf(flags)),
  );
}

/** One line per metric beyond the noise (slower, then faster), and the comparison's upshot. */
export function printComparison(comparison: BaselineComparison | undefined): void {
  if (!comparison) return;
  for (const verdict of ["slower", "faster"] as const) {
    for (const scenario of comparison.scenarios) {
      for (const metric of scenario.metrics.filter((item) => item.verdict === verdict)) {
        console.log(comparisonLine(scenario.name, metric));
      }
    }
  }
  const slower = comparison.scenarios.filter((item) => item.verdict === "slower");
  const judged = `p ≤ ${pText(comparison.alpha)}, beyond ${comparison.minEffectPct}% and ${comparison.minEffectMs} ms`;
  console.log(
    slower.length > 0
      ? `baseline ${comparison.file}: ${slower.length} of ${comparison.scenarios.length} scenarios slower beyond the noise (${judged})`
      : `baseline ${comparison.file}: no scenario slower beyond the noise (${judged})`,
  );
  for (const scenario of comparison.scenarios.filter((item) => item.note)) {
    console.log(`baseline: ${scenario.name} ${scenario.note}`);
  }
  if (comparison.note) console.log(`note: ${comparison.note}`);
}

/** `--save-baseline FILE`: the run saved for later runs, unless it did not measure everything. */
export function saveIfAsked(report: BenchReport, flags: BaselineFlags): void {
  if (flags.saveBaseline === undefined) return;
  if (report.verdict === "incomplete") {
    console.log(`baseline not saved to ${flags.saveBaseline}: the run is incomplete`);
    return;
  }
  saveBaseline(report, resolve(flags.saveBaseline));
  console.log(`baseline saved: ${flags.saveBaseline}`);
}
