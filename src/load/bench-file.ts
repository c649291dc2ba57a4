/**
 * Reading a bench.json back (a shard to merge): the format checked, and every field the
 * merge rebuilds from; any problem is one line naming the file and the field (exit 2).
 */
import { UserError } from "../util/exit-codes.js";
import { readReportFile } from "../util/report-file.js";
import type { BenchReport } from "./results.js";

export const BENCH_FORMAT: BenchReport["format"] = "tickets-api-harness/bench@1";

/** `where`: a run folder (its bench.json) or a bench.json itself. */
export function readBenchFile(where: string): { file: string; report: BenchReport } {
  const { file, data } = readReportFile(where, {
    name: "bench.json",
    format: BENCH_FORMAT,
    writer: "tickets-harness bench",
    fileAllowed: true,
  });
  const problem = shapeProblem(data as Record<string, unknown>);
  if (problem) throw new UserError(`${file} is malformed: ${problem}`);
  return { file, report: data as BenchReport };
}

type Json = Record<string, unknown>;

const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);

/** The first field a merge needs that is missing or of the wrong type. */
function shapeProblem(data: Json): string | undefined {
  if (typeof (data.target as Json | undefined)?.baseUrl !== "string")
    return "target.baseUrl is not a string";
  for (const key of ["runId", "startedAt"]) {
    if (typeof data[key] !== "string") return `${key} is not a string`;
  }
  if (!isNumber(data.durationMs)) return "durationMs is not a number";
  if (!Array.isArray(data.scenarios)) return "scenarios is not a list";
  if (!Array.isArray(data.leftovers)) return "leftovers is not a list";
  for (const [index, scenario] of (data.scenarios as Json[]).entries()) {
    const problem = scenarioProblem(scenario ?? {});
    if (problem) return `scenarios[${index}].${problem}`;
  }
  return undefined;
}

function scenarioProblem(scenario: Json): string | undefined {
  if (typeof scenario.name !== "string") return "name is not a string";
  const histograms = scenario.histograms as Json | undefined;
  if (
    !isNumber(scenario.measuredFromMs) ||
    !Array.isArray(scenario.rounds) ||
    !Array.isArray(histograms?.perSecond)
  ) {
    return "measuredFromMs, rounds or histograms.perSecond is missing: written by an older tickets-harness; run the bench again";
  }
  if (typeof histograms?.latency !== "string") return "histograms.latency is not a string";
  if (!isNumber(scenario.measuredToMs)) return "measuredToMs is not a number";
  const settings = scenario.settings as Json | undefined;
  for (const key of ["durationSeconds", "warmupSeconds", "rounds", "seed", "validateSample"]) {
    if (!isNumber(settings?.[key])) return `settings.${key} is not a number`;
  }
  if (typeof (scenario.model as Json | undefined)?.kind !== "string")
    return "model.kind is not a string";
  if (!Array.isArray(scenario.perSecond)) return "perSecond is not a list";
  if (typeof scenario.counts !== "object" || scenario.counts === null)
    return "counts is not an object";
  if (!Array.isArray(scenario.thresholds)) return "thresholds is not a list";
  return undefined;
}
