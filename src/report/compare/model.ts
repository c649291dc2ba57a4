/**
 * Several runs side by side, rule by rule: one row per check (the union of the runs', in
 * the suite's order), one column per run (a vendor, a staging build, a seed), each cell the
 * check's result in that run; and the enum fields any run observed. The Markdown
 * (./markdown.ts) and the HTML (./html.ts) are written from it.
 */
import type { CheckResult } from "../../checks/model.js";
import type { RunReport } from "../../checks/results.js";

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

export interface Comparison {
  runs: ComparedRun[];
  rows: ComparisonRow[];
  /** The enum fields any run observed, in first-seen order. */
  enumFields: string[];
}

export function compareRuns(runs: ComparedRun[]): Comparison {
  const ids = checkOrder(runs.map((run) => run.report.checks.map((check) => check.id)));
  const rows = ids.map((id): ComparisonRow => {
    const cells = runs.map((run) => run.report.checks.find((check) => check.id === id));
    const known = cells.find((cell) => cell !== undefined) as CheckResult;
    return { id, title: known.title, source: known.source, section: known.section, cells };
  });
  const enumFields = [...new Set(runs.flatMap((run) => run.report.enums.map((gap) => gap.field)))];
  return { runs, rows, enumFields };
}

/**
 * The rows' order, from the runs' own lists (a results.json lists every check of its suite,
 * skipped ones too, in the suite's order): the first run's; a check only a later run has
 * goes before the next check of that run already placed, at the end when none follows. So
 * runs of one suite keep its order, and a check one run lacks (an older or a later version)
 * keeps its place in the runs that have it.
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
