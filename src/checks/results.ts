/**
 * The record of one conformance run, as `results.json` holds it (format
 * `tickets-api-harness/results@1`, documented in reports/README.md). Every other report
 * is written from it; the report room reads these types and nothing else of the checks.
 */
import type { Leftover } from "../target/index.js";
import type { CheckResult } from "./model.js";

export type { Leftover };

export type RunVerdict = "pass" | "fail" | "incomplete";

export interface EnumObservation {
  field: string;
  /** The values the contract expects (the profile's, or the vendor's from its config). */
  expected: (string | null)[];
  observed: (string | null)[];
  /** Observed, not expected: the documentation gap. */
  unexpected: (string | null)[];
  /** Expected, never observed in this run. */
  unseen: (string | null)[];
}

/** What a run exercised: the statuses, the list filters and the lifecycle transitions. */
export interface Coverage {
  /** One per operation of the contract, in its order. */
  operations: OperationCoverage[];
  /** One per list query parameter. */
  filters: FilterCoverage[];
  /** One per lifecycle transition PROFILE.md names, in its order. */
  transitions: TransitionCoverage[];
  /** Attempts at a transition whose answer the state before (as earlier answers showed it) does not explain, or that no earlier answer showed: counted here, not in `transitions`. */
  unattributed: UnattributedAttempt[];
}

export interface OperationCoverage {
  operationId: string;
  /** `PATCH /api/v1/tickets/{id}/complete` */
  route: string;
  /** The statuses the contract documents for it (the docs' 200, PROFILE.md's errors). */
  documented: number[];
  /** status -> answers with it (every status answered, documented or not). */
  observed: Record<string, number>;
  /** Documented, never answered (a vendor's accepted substitute, e.g. 422 for 400, counts as the status it stands for). */
  neverObserved: number[];
  /**
   * Of `neverObserved`, those PROFILE.md allows only as one side of an either/or whose other
   * side was answered (createTicket's 404: "400 or 404, either passes" for an unknown id in
   * a body): no gap, and no warning.
   */
  otherSideAnswered: number[];
}

export interface FilterCoverage {
  /** The query parameter: `status`, `tagIds`, `pageSize`, ... */
  filter: string;
  /** List queries with the parameter in their URL that were answered with a page. */
  queries: number;
  /** Of those, the ones whose page held at least one item. */
  nonEmpty: number;
  /** The items on those pages, in all. */
  items: number;
  /** List queries with the parameter that were answered 400 (a value out of bounds, malformed). */
  refused: number;
}

export interface TransitionCoverage {
  /** E.g. `takeover from pending`, `complete a completed ticket (409)`. */
  transition: string;
  operationId: string;
  /** The answer it is counted from: 200 for a transition made, 409 or 404 for one refused. */
  status: number;
  runs: number;
}

export interface UnattributedAttempt {
  operationId: string;
  status: number;
  /** Why it is not counted as a transition, e.g. `no earlier answer showed the ticket's status`. */
  why: string;
  runs: number;
}

/** A choice the docs and PROFILE.md leave open, as the target took it (src/checks/target-choices.ts). */
export interface LearnedChoice {
  /** E.g. `the assignee on complete`, `a method a path does not list`. */
  name: string;
  /** The target's side, e.g. `cleared`, `refused with 400`. */
  side: string;
  /** The request that showed it first, e.g. `completing ticket <id>`. */
  where: string;
  /** What the docs and PROFILE.md say (or do not say) that leaves it open. */
  open?: string;
}

export interface RunReport {
  format: "tickets-api-harness/results@1";
  runId: string;
  startedAt: string;
  durationMs: number;
  target: { baseUrl: string; embedded: boolean };
  seed: number;
  runs: number;
  readOnly: boolean;
  verdict: RunVerdict;
  exitCode: number;
  /** Why the run is incomplete, when it is. */
  incomplete?: string;
  /** Set when the target could not be opened (unreachable, a refused key, missing fixtures): no check ran. */
  notStarted?: true;
  counts: Record<CheckResult["verdict"], number>;
  requests: number;
  checks: CheckResult[];
  enums: EnumObservation[];
  fixtureSources: Record<string, string>;
  /** What cleanup could not undo, or could not confirm undone, each with its curl. */
  leftovers: Leftover[];
  /**
   * What the run exercised, counted from every answer it got (cleanup's too): absent when
   * the run did not start, and in a results.json written before coverage was recorded.
   */
  coverage?: Coverage;
  /**
   * The choices the docs and PROFILE.md leave open, each as the target took it in its first
   * answer that showed it (and was then held to), in the order learned: absent when the run
   * did not start, and in a results.json written before choices were recorded.
   */
  choices?: LearnedChoice[];
  /** The command line that repeats this run exactly. */
  replay: string;
}

export function countVerdicts(checks: CheckResult[]): RunReport["counts"] {
  const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) counts[check.verdict]++;
  return counts;
}
