/**
 * The baseline file (`bench --save-baseline FILE`, format `tickets-api-harness/baseline@1`):
 * what a later run needs to be compared with this one, and nothing of the target's data.
 * Per scenario its name, load model (and a shard's whole model), the settings that must
 * match (duration, warm-up, rounds), the whole histograms, the rps and the rounds (each with
 * its own figures and histogram); for the run its target (base URL, or the embedded server
 * and its size) and the shard it was. A `bench.json` (`tickets-api-harness/bench@1`) holds
 * the same, and is read as a baseline too.
 *
 * A file that is not one (not JSON, another format, a field missing or of the wrong type, a
 * histogram that does not decode, fewer rounds than its settings say) is refused with one
 * line naming the file and the field (a UserError, exit 2), never half-compared.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UserError } from "../../util/exit-codes.js";
import { decodeHistogram } from "../histogram.js";
import type {
  BenchEnvironment,
  BenchReport,
  LoadModel,
  RoundPoint,
  ShardIdentity,
} from "../results.js";

export const BASELINE_FORMAT = "tickets-api-harness/baseline@1";
const BENCH_FORMAT = "tickets-api-harness/bench@1";

export interface BaselineScenario {
  name: string;
  model: LoadModel;
  /** A shard's whole run (`bench --shard`): the model of which `model` is its share. */
  wholeModel?: LoadModel;
  settings: { durationSeconds: number; warmupSeconds: number; rounds: number };
  /** Answers per second over the measured time. */
  rps: number;
  /** Compressed base64 HdrHistograms of the whole measured time, microseconds. */
  histograms: { latency: string; uncorrected?: string };
  rounds: RoundPoint[];
}

export interface BaselineFile {
  format: typeof BASELINE_FORMAT;
  /** When the baseline was written (a bench.json read as one: when its run started). */
  savedAt: string;
  runId: string;
  startedAt: string;
  seed: number;
  target: { baseUrl: string; embedded: boolean; tickets?: number };
  shard?: ShardIdentity;
  environment?: BenchEnvironment;
  scenarios: BaselineScenario[];
}

/** What a run keeps for a later comparison. */
export function baselineOf(report: BenchReport, savedAt = new Date()): BaselineFile {
  return {
    format: BASELINE_FORMAT,
    savedAt: savedAt.toISOString(),
    runId: report.runId,
    startedAt: report.startedAt,
    seed: report.seed,
    target: {
      baseUrl: report.target.baseUrl,
      embedded: report.target.embedded,
      ...(report.target.tickets !== undefined ? { tickets: report.target.tickets } : {}),
    },
    ...(report.shard ? { shard: report.shard } : {}),
    environment: report.environment,
    scenarios: report.scenarios.map((scenario) => ({
      name: scenario.name,
      model: scenario.model,
      ...(scenario.settings.wholeModel ? { wholeModel: scenario.settings.wholeModel } : {}),
      settings: {
        durationSeconds: scenario.settings.durationSeconds,
        warmupSeconds: scenario.settings.warmupSeconds,
        rounds: scenario.settings.rounds,
      },
      rps: scenario.rps,
      histograms: {
        latency: scenario.histograms.latency,
        ...(scenario.histograms.uncorrected !== undefined
          ? { uncorrected: scenario.histograms.uncorrected }
          : {}),
      },
      rounds: scenario.rounds,
    })),
  };
}

/** Writes the baseline of `report` to `file` (its folder made if need be). */
export function saveBaseline(report: BenchReport, file: string, savedAt = new Date()): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(baselineOf(report, savedAt), null, 2)}\n`);
}

/**
 * Reads a baseline file, or a bench.json as one; `flag` names where it came from in the
 * one-line refusal (`--baseline FILE`).
 */
export function loadBaseline(file: string, flag = "--baseline"): BaselineFile {
  const where = `${flag} ${file}`;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `${where}: cannot read it (${code === "ENOENT" ? "no such file" : (code ?? String(error))})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserError(`${where}: not JSON, so not a baseline`);
  }
  return parseBaseline(json, where);
}

/** A parsed file as a baseline: validated whole, or a UserError naming the first bad field. */
export function parseBaseline(json: unknown, where: string): BaselineFile {
  const format = isObject(json) ? json.format : undefined;
  if (format !== BASELINE_FORMAT && format !== BENCH_FORMAT) {
    throw new UserError(
      `${where}: not a baseline ("format" is ${typeof format === "string" ? `"${format}"` : "missing"}; expected "${BASELINE_FORMAT}" from --save-baseline, or a bench.json)`,
    );
  }
  if (format === BENCH_FORMAT && (json as Record<string, unknown>).verdict === "incomplete") {
    throw new UserError(
      `${where}: its run is incomplete (it did not measure everything): not a baseline`,
    );
  }
  const problem = problemOf(json as Record<string, unknown>);
  if (problem) throw new UserError(`${where}: a malformed baseline: ${problem}`);
  if (format === BASELINE_FORMAT) return json as unknown as BaselineFile;
  // A bench.json: the same fields, under the run's own names.
  return baselineOf(json as unknown as BenchReport, new Date((json as BenchReport).startedAt));
}

// ---------------------------------------------------------------------------------------
// The shape, checked by hand: every field a comparison reads, with its path in the message.

type Check = (value: unknown, path: string) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const string: Check = (value, path) =>
  typeof value === "string" ? undefined : `"${path}" is not a string`;
const boolean: Check = (value, path) =>
  typeof value === "boolean" ? undefined : `"${path}" is not true or false`;
const finite =
  (min: number, integer = false): Check =>
  (value, path) =>
    typeof value === "number" &&
    Number.isFinite(value) &&
    value >= min &&
    (!integer || Number.isInteger(value))
      ? undefined
      : `"${path}" is not ${integer ? "an integer" : "a number"} ≥ ${min}`;

const histogram: Check = (value, path) => {
  if (typeof value !== "string" || value === "") return `"${path}" is not a histogram`;
  try {
    decodeHistogram(value);
    return undefined;
  } catch {
    return `"${path}" is not a compressed base64 HdrHistogram`;
  }
};

const model: Check = (value, path) => {
  if (!isObject(value)) return `"${path}" is not a load model`;
  if (value.kind === "closed") return finite(1, true)(value.connections, `${path}.connections`);
  if (value.kind === "open") {
    return (
      finite(0)(value.rate, `${path}.rate`) ??
      finite(1, true)(value.maxInFlight, `${path}.maxInFlight`)
    );
  }
  return `"${path}.kind" is neither "closed" nor "open"`;
};

function fields(value: unknown, path: string, checks: Record<string, Check>): string | undefined {
  if (!isObject(value)) return `"${path}" is not an object`;
  for (const [name, check] of Object.entries(checks)) {
    const problem = check(value[name], path === "" ? name : `${path}.${name}`);
    if (problem) return problem;
  }
  return undefined;
}

const optional =
  (check: Check): Check =>
  (value, path) =>
    value === undefined ? undefined : check(value, path);

const ROUND: Record<string, Check> = {
  round: finite(1, true),
  requests: finite(0, true),
  errors: finite(0, true),
  rps: finite(0),
  p50Ms: finite(0),
  p90Ms: finite(0),
  p99Ms: finite(0),
  p999Ms: finite(0),
  maxMs: finite(0),
  histogram,
};

const scenario: Check = (value, path) => {
  const problem = fields(value, path, {
    name: string,
    model,
    rps: finite(0),
  });
  if (problem) return problem;
  const item = value as Record<string, unknown>;
  const settings = isObject(item.settings) ? item.settings : undefined;
  const settingsProblem =
    fields(item.settings, `${path}.settings`, {
      durationSeconds: finite(0),
      warmupSeconds: finite(0),
      rounds: finite(1, true),
    }) ?? optional(model)(settings?.wholeModel ?? item.wholeModel, `${path}.wholeModel`);
  if (settingsProblem) return settingsProblem;
  const histograms = fields(item.histograms, `${path}.histograms`, {
    latency: histogram,
    uncorrected: optional(histogram),
  });
  if (histograms) return histograms;
  if (!Array.isArray(item.rounds)) return `"${path}.rounds" is not a list`;
  const expected = (settings as Record<string, number>).rounds;
  if (item.rounds.length !== expected) {
    return `"${path}.rounds" holds ${item.rounds.length} rounds, its settings say ${expected}`;
  }
  for (const [index, round] of item.rounds.entries()) {
    const roundProblem = fields(round, `${path}.rounds[${index}]`, ROUND);
    if (roundProblem) return roundProblem;
  }
  return undefined;
};

function problemOf(json: Record<string, unknown>): string | undefined {
  const top = fields(json, "", {
    runId: string,
    startedAt: string,
    seed: finite(0, true),
  });
  if (top) return top;
  const target = fields(json.target, "target", {
    baseUrl: (value, path) =>
      typeof value === "string" && URL.canParse(value) ? undefined : `"${path}" is not a URL`,
    embedded: boolean,
    tickets: optional(finite(1, true)),
  });
  if (target) return target;
  const shard = optional((value, path) =>
    fields(value, path, { index: finite(1, true), count: finite(1, true) }),
  )(json.shard, "shard");
  if (shard) return shard;
  if (!Array.isArray(json.scenarios) || json.scenarios.length === 0)
    return `"scenarios" is not a list of scenarios`;
  const names = new Set<string>();
  for (const [index, item] of json.scenarios.entries()) {
    const problem = scenario(item, `scenarios[${index}]`);
    if (problem) return problem;
    const name = (item as { name: string }).name;
    if (names.has(name)) return `scenario "${name}" is there twice`;
    names.add(name);
  }
  return undefined;
}
