/**
 * A scenario's result from what its recorder holds: the figures, the thresholds evaluated
 * on them, the rounds, the series and the histograms that travel in bench.json. One code
 * for a run and for a merge (src/load/merge.ts), so a merged result reads as a single one.
 */
import { ExitCode } from "../util/exit-codes.js";
import { encodeHistogram, figuresOf, percentileMs } from "./histogram.js";
import type { LoadRecorder } from "./recorder.js";
import type {
  BenchVerdict,
  DepthPoint,
  InvalidExample,
  LabelPoint,
  LoadModel,
  RoundPoint,
  ScenarioResult,
} from "./results.js";
import { evaluate, parseThreshold, type Threshold } from "./thresholds.js";

/** The invalid answers a scenario keeps as examples (as curl), across its shards too. */
export const INVALID_EXAMPLES_KEPT = 3;

/** What a result says beside its recorder's figures; the rounds are the recorder's. */
export interface ScenarioFacts {
  name: string;
  description: string;
  model: LoadModel;
  /** A shard: the whole run's model. */
  wholeModel?: LoadModel;
  durationSeconds: number;
  warmupSeconds: number;
  validateSample: number;
  seed: number;
  thresholds: Threshold[];
  invalidExamples: InvalidExample[];
  incomplete?: string;
}

export function scenarioResult(facts: ScenarioFacts, recorder: LoadRecorder): ScenarioResult {
  const { model } = facts;
  const seconds = Math.max(recorder.measuredSeconds, 0.001);
  const answers = recorder.counts.ok + recorder.counts.non2xx;
  const rps = answers / seconds;
  const latency = { ...figuresOf(recorder.latency), maxMs: recorder.maxMs };
  const measured = { latency, histogram: recorder.latency, rps, counts: recorder.counts };
  const thresholds = [
    ...facts.thresholds.map((threshold) => evaluate(threshold, measured)),
    // A server that answers fast but wrong fails, whatever the scenario's thresholds.
    ...(facts.thresholds.some((threshold) => threshold.metric === "invalid")
      ? []
      : [evaluate(parseThreshold("invalid=0", "scenario"), measured)]),
  ];
  const unmeasured = measuredNothing(recorder);
  const incomplete = facts.incomplete ?? unmeasured;
  const depth = depthPoints(recorder);
  const open = model.kind === "open";
  return {
    name: facts.name,
    description: facts.description,
    model,
    settings: {
      durationSeconds: facts.durationSeconds,
      warmupSeconds: facts.warmupSeconds,
      validateSample: facts.validateSample,
      seed: facts.seed,
      rounds: recorder.rounds.length,
      ...(facts.wholeModel ? { wholeModel: facts.wholeModel } : {}),
    },
    verdict: thresholds.every((threshold) => threshold.passed) && !unmeasured ? "pass" : "fail",
    measuredFromMs: recorder.measureFromMs,
    measuredToMs: recorder.measuredToMs,
    rounds: roundPoints(recorder),
    latency,
    ...(open
      ? { uncorrected: { ...figuresOf(recorder.uncorrected), maxMs: recorder.uncorrectedMaxMs } }
      : {}),
    rps,
    counts: { ...recorder.counts },
    statuses: { ...recorder.statuses },
    histograms: {
      latency: encodeHistogram(recorder.latency),
      ...(open ? { uncorrected: encodeHistogram(recorder.uncorrected) } : {}),
      perSecond: recorder.secondHistograms().map(encodeHistogram),
      ...(recorder.byLabel.size > 0
        ? {
            labels: Object.fromEntries(
              [...recorder.byLabel].map(([label, { histogram }]) => [
                label,
                encodeHistogram(histogram),
              ]),
            ),
          }
        : {}),
    },
    perSecond: recorder.perSecond(),
    ...(depth.length > 0 ? { depth } : {}),
    ...(recorder.byLabel.size > 0 ? { labels: labelPoints(recorder) } : {}),
    thresholds,
    invalidExamples: facts.invalidExamples,
    ...(incomplete ? { incomplete } : {}),
  };
}

/**
 * A scenario that sent nothing, or got no 2xx answer at all (every answer a 401, a 404, a
 * 5xx, or no answer), measured nothing of the endpoint: never a pass.
 */
function measuredNothing(recorder: LoadRecorder): string | undefined {
  const { requests, ok, errors } = recorder.counts;
  if (requests === 0) return "no request was answered or failed in the measured time";
  if (ok > 0) return undefined;
  if (errors === requests)
    return `none of its ${requests} requests got an answer: it measured nothing`;
  const statuses = Object.entries(recorder.statuses)
    .map(([status, count]) => `${count} × ${status}`)
    .join(", ");
  return `no answer was a 2xx (${statuses}${errors ? `, ${errors} without an answer` : ""}): it measured nothing`;
}

function roundPoints(recorder: LoadRecorder): RoundPoint[] {
  const seconds = recorder.roundLengthMs / 1000;
  return recorder.rounds.map((round, index) => {
    const figures = figuresOf(round.latency);
    return {
      round: index + 1,
      startedAtMs: recorder.measureFromMs + index * recorder.roundLengthMs,
      requests: round.requests,
      errors: round.errors,
      rps: seconds > 0 ? (round.requests - round.errors) / seconds : 0,
      p50Ms: figures.p50Ms,
      p90Ms: figures.p90Ms,
      p99Ms: figures.p99Ms,
      p999Ms: figures.p999Ms,
      maxMs: round.maxMs,
      histogram: encodeHistogram(round.latency),
    };
  });
}

function labelPoints(recorder: LoadRecorder): LabelPoint[] {
  return [...recorder.byLabel].map(([label, { histogram, statuses, maxMs }]) => ({
    label,
    requests: histogram.totalCount,
    p50Ms: percentileMs(histogram, 50),
    p99Ms: percentileMs(histogram, 99),
    maxMs,
    statuses: { ...statuses },
  }));
}

/** The requests labelled `page N`: latency against page depth. */
function depthPoints(recorder: LoadRecorder): DepthPoint[] {
  const points: DepthPoint[] = [];
  for (const [label, { histogram, maxMs }] of recorder.byLabel) {
    const pageNumber = Number(/^page (\d+)$/.exec(label)?.[1]);
    if (!Number.isInteger(pageNumber)) continue;
    points.push({
      pageNumber,
      requests: histogram.totalCount,
      p50Ms: percentileMs(histogram, 50),
      p90Ms: percentileMs(histogram, 90),
      p99Ms: percentileMs(histogram, 99),
      maxMs,
      pastTheEnd: false,
    });
  }
  points.sort((a, b) => a.pageNumber - b.pageNumber);
  const last = points.at(-1);
  if (last && points.length > 1) last.pastTheEnd = true;
  return points;
}

/** A run's verdict and exit code: incomplete (3) over a broken threshold (1) over a pass. */
export function runVerdict(
  scenarios: ScenarioResult[],
  incomplete: string | undefined,
): { verdict: BenchVerdict; exitCode: ExitCode } {
  if (incomplete) return { verdict: "incomplete", exitCode: ExitCode.Incomplete };
  if (scenarios.some((scenario) => scenario.verdict === "fail"))
    return { verdict: "fail", exitCode: ExitCode.RuleBroken };
  return { verdict: "pass", exitCode: ExitCode.Ok };
}
