/**
 * Reading the runs to compare: each folder's results.json, checked for what the comparison
 * reads of it, any problem one line (exit 2); and the columns' labels.
 */
import type { CheckResult } from "../../checks/model.js";
import type { EnumObservation, RunReport } from "../../checks/results.js";
import { UserError } from "../../util/exit-codes.js";
import { readReportFile } from "../../util/report-file.js";
import type { ComparedRun } from "./model.js";

export const RESULTS_FORMAT: RunReport["format"] = "tickets-api-harness/results@1";

const RUN_VERDICTS = new Set(["pass", "fail", "incomplete"]);
const CHECK_VERDICTS = new Set(["pass", "fail", "warn", "skip"]);

/** Reads a run folder's results.json; any problem is one line (exit 2). */
export function readRun(dir: string): RunReport {
  const { file, data } = readReportFile(dir, {
    name: "results.json",
    format: RESULTS_FORMAT,
    writer: "tickets-harness check",
    fileAllowed: false,
  });
  const problem = shapeProblem(data as Record<string, unknown>);
  if (problem) throw new UserError(`${file} is malformed: ${problem}`);
  return data as RunReport;
}

/** The first thing in a results file that the comparison cannot read, if any. */
function shapeProblem(data: Record<string, unknown>): string | undefined {
  const target = data.target as { baseUrl?: unknown } | undefined;
  if (typeof target?.baseUrl !== "string") return "target.baseUrl is not a string";
  if (!RUN_VERDICTS.has(data.verdict as string)) return "verdict is not pass, fail or incomplete";
  for (const key of ["seed", "requests", "durationMs"]) {
    if (typeof data[key] !== "number") return `${key} is not a number`;
  }
  if (typeof data.startedAt !== "string") return "startedAt is not a string";
  if (!Array.isArray(data.checks)) return "checks is not a list";
  for (const [index, check] of (data.checks as Partial<CheckResult>[]).entries()) {
    if (typeof check?.id !== "string") return `checks[${index}].id is not a string`;
    if (!CHECK_VERDICTS.has(check.verdict as string)) {
      return `checks[${index}].verdict is not pass, fail, warn or skip`;
    }
    if (typeof check.failureCount !== "number") {
      return `checks[${index}].failureCount is not a number`;
    }
    if (!Array.isArray(check.failures)) return `checks[${index}].failures is not a list`;
  }
  if (!Array.isArray(data.enums)) return "enums is not a list";
  for (const [index, gap] of (data.enums as Partial<EnumObservation>[]).entries()) {
    if (typeof gap?.field !== "string" || !Array.isArray(gap.unexpected)) {
      return `enums[${index}] is not a field with its values`;
    }
  }
  // Absent in a results.json written before coverage was recorded: "not recorded".
  if (data.coverage !== undefined) {
    const problem = coverageProblem(data.coverage);
    if (problem) return problem;
  }
  // Absent in a results.json written before choices were recorded: "not recorded".
  if (data.choices !== undefined) return choicesProblem(data.choices);
  return undefined;
}

function choicesProblem(choices: unknown): string | undefined {
  if (!Array.isArray(choices)) return "choices is not a list";
  for (const [index, choice] of (choices as (Record<string, unknown> | null)[]).entries()) {
    for (const field of ["name", "side", "where"]) {
      if (!fits(choice?.[field], "string")) return `choices[${index}].${field} is not a string`;
    }
  }
  return undefined;
}

/** What the comparison's coverage part reads of each list: its fields and their kinds. */
const COVERAGE_FIELDS: Record<"operations" | "filters" | "transitions", Record<string, Kind>> = {
  operations: {
    operationId: "string",
    route: "string",
    observed: "object",
    documented: "list",
    neverObserved: "list",
  },
  filters: { filter: "string", queries: "number", nonEmpty: "number" },
  transitions: { transition: "string", operationId: "string", status: "number", runs: "number" },
};

type Kind = "string" | "number" | "object" | "list";

function fits(value: unknown, kind: Kind): boolean {
  if (kind === "list") return Array.isArray(value);
  if (kind === "object")
    return typeof value === "object" && value !== null && !Array.isArray(value);
  return typeof value === kind;
}

function coverageProblem(coverage: unknown): string | undefined {
  if (!fits(coverage, "object")) return "coverage is not an object";
  for (const [list, fields] of Object.entries(COVERAGE_FIELDS)) {
    const items = (coverage as Record<string, unknown>)[list];
    if (!Array.isArray(items)) return `coverage.${list} is not a list`;
    for (const [index, item] of (items as (Record<string, unknown> | null)[]).entries()) {
      for (const [field, kind] of Object.entries(fields)) {
        if (!fits(item?.[field], kind)) {
          return `coverage.${list}[${index}].${field} is not ${kind === "object" ? "an" : "a"} ${kind}`;
        }
      }
    }
  }
  return undefined;
}

/** Reads the folders and labels the columns: the labels given, then each run's target. */
export function loadRuns(dirs: string[], labels: string[] = []): ComparedRun[] {
  if (dirs.length === 0) throw new UserError("give at least one run folder");
  if (labels.length > dirs.length) {
    throw new UserError(
      `${labels.length} labels for ${dirs.length} run folder(s): one --label per folder, in order`,
    );
  }
  const blank = labels.findIndex((label) => label.trim() === "");
  if (blank >= 0) throw new UserError(`--label number ${blank + 1} is empty`);
  return dirs.map((dir, index) => {
    const report = readRun(dir);
    return { dir, label: labels[index] ?? report.target.baseUrl, report };
  });
}
