/**
 * The exact merge of shards (`report merge`, and `bench --workers` in process): per
 * scenario the histograms are added (the percentiles are those of the union of every
 * request, never averages of percentiles), the counts summed, the per-second series added
 * on the wall-clock second, the rounds by their index, and the thresholds evaluated on the
 * merged figures. The merged run is a bench report like any other: the same files, the
 * same verdict and exit code.
 *
 * Refused, with one line saying which: shards of different scenarios, settings or
 * targets, a folder that is not a shard, a shard missing or given twice.
 */
import { UserError } from "../util/exit-codes.js";
import { LoadRecorder } from "./recorder.js";
import type { BenchReport, LoadModel, ScenarioResult, ShardIdentity } from "./results.js";
import { INVALID_EXAMPLES_KEPT, runVerdict, scenarioResult } from "./scenario-result.js";
import { parseThreshold, type Threshold } from "./thresholds.js";

export interface Shard {
  /** Where it was read from, to name it in a refusal. */
  where: string;
  report: BenchReport;
}

/** Merges the N shards of one run; `thresholds` (from `--threshold`) are added to each scenario. */
export function mergeShards(shards: Shard[], thresholds: string[] = []): BenchReport {
  const ordered = checkShardSet(shards);
  const first = ordered[0] as Shard;
  const extra = thresholds.map((text) => parseThreshold(text, "flag"));
  const scenarios = first.report.scenarios.map((_, index) =>
    mergeScenario(
      ordered.map((shard) => ({
        shard,
        scenario: shard.report.scenarios[index] as ScenarioResult,
      })),
      extra,
    ),
  );
  const starts = ordered.map((shard) => Date.parse(shard.report.startedAt));
  const ends = ordered.map((shard, i) => (starts[i] as number) + shard.report.durationMs);
  const startedAt = Math.min(...starts);
  const shardIncomplete = ordered
    .filter((shard) => shard.report.incomplete)
    .map((shard) => `shard ${label(shard)}: ${shard.report.incomplete}`);
  const scenarioIncomplete = scenarios
    .filter((scenario) => scenario.incomplete)
    .map((scenario) => `${scenario.name}: ${scenario.incomplete}`);
  const incomplete = [...shardIncomplete, ...scenarioIncomplete][0];
  return {
    format: "tickets-api-harness/bench@1",
    runId: `${new Date(startedAt).toISOString().replace(/[:.]/g, "-")}-bench-merged-${ordered.length}-shards`,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Math.max(...ends) - startedAt,
    target: first.report.target,
    mergedFrom: ordered.map((shard) => ({
      runId: shard.report.runId,
      shard: shard.report.shard as ShardIdentity,
      startedAt: shard.report.startedAt,
    })),
    seed: first.report.seed,
    environment: {
      ...first.report.environment,
      sharedCores: ordered.some((shard) => shard.report.environment.sharedCores),
    },
    ...runVerdict(scenarios, incomplete),
    ...(incomplete ? { incomplete } : {}),
    scenarios,
    leftovers: ordered.flatMap((shard) => shard.report.leftovers),
  };
}

function mergeScenario(
  parts: { shard: Shard; scenario: ScenarioResult }[],
  extra: Threshold[],
): ScenarioResult {
  const first = (parts[0] as (typeof parts)[number]).scenario;
  const recorder = new LoadRecorder({
    measureFromMs: Math.min(...parts.map(({ scenario }) => scenario.measuredFromMs)),
    durationMs: first.settings.durationSeconds * 1000,
    rounds: first.settings.rounds,
  });
  for (const { scenario } of parts) recorder.absorb(scenario);
  const incomplete = parts
    .filter(({ scenario }) => scenario.incomplete)
    .map(({ shard, scenario }) => `shard ${label(shard)}: ${scenario.incomplete}`)[0];
  const merged = scenarioResult(
    {
      name: first.name,
      description: first.description,
      model: first.settings.wholeModel ?? first.model,
      durationSeconds: first.settings.durationSeconds,
      warmupSeconds: first.settings.warmupSeconds,
      validateSample: first.settings.validateSample,
      seed: first.settings.seed,
      thresholds: [...thresholdsOf(parts.map(({ scenario }) => scenario)), ...extra],
      invalidExamples: parts
        .flatMap(({ scenario }) => scenario.invalidExamples)
        .slice(0, INVALID_EXAMPLES_KEPT),
      ...(incomplete ? { incomplete } : {}),
    },
    recorder,
  );
  return { ...merged, merge: { shards: parts.length, overlap: overlapOf(parts) } };
}

/** The time every shard was measuring, over the time any was: 1 when they ran together. */
function overlapOf(parts: { scenario: ScenarioResult }[]): number {
  const from = parts.map(({ scenario }) => scenario.measuredFromMs);
  const to = parts.map(({ scenario }) => scenario.measuredToMs);
  const union = Math.max(...to) - Math.min(...from);
  const common = Math.max(0, Math.min(...to) - Math.max(...from));
  return union > 0 ? common / union : 1;
}

/**
 * The thresholds the shards were held to, each once, parsed again to be evaluated on the
 * merged figures; the `invalid=0` every scenario gets is added again by scenarioResult.
 */
function thresholdsOf(scenarios: ScenarioResult[]): Threshold[] {
  const seen = new Map<string, Threshold>();
  for (const result of scenarios.flatMap((scenario) => scenario.thresholds)) {
    if (seen.has(result.source)) continue;
    seen.set(result.source, parseThreshold(result.source, result.origin));
  }
  return [...seen.values()];
}

/** The shards in index order, or a UserError saying what does not fit. */
function checkShardSet(shards: Shard[]): Shard[] {
  if (shards.length === 0) throw new UserError("report merge: no shard given");
  for (const shard of shards) {
    if (!shard.report.shard) {
      throw new UserError(
        `${shard.where} is not a shard: it was not run with --shard I/N (a merge adds the parts of one sharded run)`,
      );
    }
  }
  const count = (shards[0] as Shard).report.shard?.count as number;
  const byIndex = new Map<number, Shard>();
  for (const shard of shards) {
    const identity = shard.report.shard as ShardIdentity;
    if (identity.count !== count) {
      throw new UserError(
        `${(shards[0] as Shard).where} is shard ${label(shards[0] as Shard)} but ${shard.where} is shard ${label(shard)}: parts of different runs`,
      );
    }
    const twin = byIndex.get(identity.index);
    if (twin) {
      throw new UserError(
        `shard ${label(shard)} is given twice: ${twin.where} and ${shard.where} (a shard retried? keep one)`,
      );
    }
    byIndex.set(identity.index, shard);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new UserError(
      `shard${missing.length > 1 ? "s" : ""} ${missing.map((i) => `${i}/${count}`).join(", ")} ${missing.length > 1 ? "are" : "is"} missing (given: ${[
        ...byIndex.keys(),
      ]
        .sort((a, b) => a - b)
        .map((i) => `${i}/${count}`)
        .join(", ")}): a merge of part of a run would understate its load`,
    );
  }
  const ordered = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, shard]) => shard);
  for (const shard of ordered.slice(1)) sameRun(ordered[0] as Shard, shard);
  return ordered;
}

/** A UserError naming the first setting in which `other` differs from `first`. */
function sameRun(first: Shard, other: Shard): void {
  const differ = (what: string, a: unknown, b: unknown) => {
    throw new UserError(
      `${other.where} (shard ${label(other)}) ${what} ${String(b)}, but ${first.where} (shard ${label(first)}) ${String(a)}: shards of different runs are not merged`,
    );
  };
  const a = first.report;
  const b = other.report;
  if (a.target.baseUrl !== b.target.baseUrl) differ("targets", a.target.baseUrl, b.target.baseUrl);
  const names = (report: BenchReport) => report.scenarios.map((s) => s.name).join(", ");
  if (names(a) !== names(b)) differ("ran", names(a), names(b));
  a.scenarios.forEach((mine, index) => {
    const theirs = b.scenarios[index] as ScenarioResult;
    const settings: [string, (s: ScenarioResult) => unknown][] = [
      ["model", (s) => modelText(s.settings.wholeModel ?? s.model)],
      ["duration", (s) => `${s.settings.durationSeconds} s`],
      ["warm-up", (s) => `${s.settings.warmupSeconds} s`],
      ["rounds", (s) => s.settings.rounds],
    ];
    for (const [what, of] of settings) {
      if (of(mine) !== of(theirs)) differ(`ran ${mine.name} with ${what}`, of(mine), of(theirs));
    }
  });
}

export function modelText(model: LoadModel): string {
  return model.kind === "closed"
    ? `closed, ${model.connections} connections`
    : `open, ${model.rate}/s (in flight at most ${model.maxInFlight})`;
}

function label(shard: Shard): string {
  const identity = shard.report.shard;
  return identity ? `${identity.index}/${identity.count}` : "?";
}
