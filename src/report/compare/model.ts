/**
 * Several runs side by side, rule by rule: one row per check (the union of the runs', in
 * the suite's order), one column per run (a vendor, a staging build, a seed), each cell the
 * check's result in that run; the enum fields any run observed; and what each run
 * exercised (its results.json's coverage), operation by operation, filter by filter,
 * transition by transition. The Markdown (./markdown.ts) and the HTML (./html.ts) are
 * written from it.
 */
import type { CheckResult } from "../../checks/model.js";
import type {
  Coverage,
  FilterCoverage,
  LearnedChoice,
  OperationCoverage,
  RunReport,
  TransitionCoverage,
} from "../../checks/results.js";

export interface ComparedRun {
  /** The run's folder, as given. */
  dir: string;
  label: string;
  report: RunReport;
}

export interface ComparisonRow {
  id: string;
  title: string;
  source: CheckResult["source"];
  section: string;
  /** One per run, in column order; undefined where the run did not have the check. */
  cells: (CheckResult | undefined)[];
}

/** One operation, filter or transition across the runs. */
export interface CoverageRow<T> {
  /** The operationId, the filter, the transition. */
  key: string;
  /** The first run's that has it: what the row's heading shows (a route, an answer). */
  first: T;
  /**
   * One per run, in column order; undefined where the run did not count it, or recorded no
   * coverage at all (`ComparedCoverage.recorded` tells the two apart).
   */
  cells: (T | undefined)[];
}

export interface ComparedCoverage {
  /** One per run: false where its results.json has no coverage (a run of an older harness). */
  recorded: boolean[];
  operations: CoverageRow<OperationCoverage>[];
  filters: CoverageRow<FilterCoverage>[];
  transitions: CoverageRow<TransitionCoverage>[];
}

/** The open choices any run learned, each with every run's side. */
export interface ComparedChoices {
  /** One per run: false where its results.json has no choices (a run of an older harness). */
  recorded: boolean[];
  /** One per choice, in the first run's order; a cell is undefined where the run did not meet it. */
  rows: CoverageRow<LearnedChoice>[];
}

export interface Comparison {
  runs: ComparedRun[];
  rows: ComparisonRow[];
  /** The enum fields any run observed, in first-seen order. */
  enumFields: string[];
  /** What the runs exercised; undefined when none of them recorded it. */
  coverage?: ComparedCoverage;
  /** The choices the targets made; undefined when no run recorded them. */
  choices?: ComparedChoices;
}

export function compareRuns(runs: ComparedRun[]): Comparison {
  const ids = checkOrder(runs.map((run) => run.report.checks.map((check) => check.id)));
  const rows = ids.map((id): ComparisonRow => {
    const cells = runs.map((run) => run.report.checks.find((check) => check.id === id));
    const known = cells.find((cell) => cell !== undefined) as CheckResult;
    return { id, title: known.title, source: known.source, section: known.section, cells };
  });
  const enumFields = [...new Set(runs.flatMap((run) => run.report.enums.map((gap) => gap.field)))];
  return { runs, rows, enumFields, coverage: compareCoverage(runs), choices: compareChoices(runs) };
}

function compareChoices(runs: ComparedRun[]): ComparedChoices | undefined {
  const recorded = runs.map((run) => run.report.choices !== undefined);
  if (!recorded.includes(true)) return undefined;
  const lists = runs.map((run) => run.report.choices ?? []);
  const rows = checkOrder(lists.map((list) => list.map((choice) => choice.name))).map((name) => {
    const cells = lists.map((list) => list.find((choice) => choice.name === name));
    return {
      key: name,
      first: cells.find((choice) => choice !== undefined) as LearnedChoice,
      cells,
    };
  });
  return { recorded, rows };
}

function compareCoverage(runs: ComparedRun[]): ComparedCoverage | undefined {
  const recorded = runs.map((run) => run.report.coverage !== undefined);
  if (!recorded.includes(true)) return undefined;
  const coverages = runs.map((run) => run.report.coverage);
  return {
    recorded,
    operations: coverageRows(
      coverages,
      (c) => c.operations,
      (op) => op.operationId,
    ),
    filters: coverageRows(
      coverages,
      (c) => c.filters,
      (filter) => filter.filter,
    ),
    transitions: coverageRows(
      coverages,
      (c) => c.transitions,
      (t) => t.transition,
    ),
  };
}

/** The union of the runs' items, in the first run's order (as the checks' rows are). */
function coverageRows<T>(
  coverages: (Coverage | undefined)[],
  items: (coverage: Coverage) => T[],
  key: (item: T) => string,
): CoverageRow<T>[] {
  const lists = coverages.map((coverage) => (coverage ? items(coverage) : []));
  return checkOrder(lists.map((list) => list.map(key))).map((name) => {
    const cells = lists.map((list) => list.find((item) => key(item) === name));
    return { key: name, first: cells.find((item) => item !== undefined) as T, cells };
  });
}

/**
 * The rows' order, from the runs' own lists (a results.json lists every check of its suite,
 * skipped ones too, in the suite's order; likewise its coverage's operations, filters and
 * transitions): the first run's; a check only a later run has goes before the next check
 * of that run already placed, at the end when none follows. So runs of one suite keep its
 * order, and a check one run lacks (an older or a later version) keeps its place in the
 * runs that have it.
 */
export function checkOrder(lists: readonly (readonly string[])[]): string[] {
  const order: string[] = [];
  for (const list of lists) {
    list.forEach((id, index) => {
      if (order.includes(id)) return;
      const next = list.slice(index + 1).find((later) => order.includes(later));
      if (next === undefined) order.push(id);
      else order.splice(order.indexOf(next), 0, id);
    });
  }
  return order;
}
