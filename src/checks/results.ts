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
  /** The command line that repeats this run exactly. */
  replay: string;
}

export function countVerdicts(checks: CheckResult[]): RunReport["counts"] {
  const counts = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) counts[check.verdict]++;
  return counts;
}
