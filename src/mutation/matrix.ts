/**
 * The mutation matrix: the whole suite against the clean reference server (it must pass,
 * over several seeds), against it with the other side of each choice the profile leaves
 * open and of all of them together (it must pass: a failure there is a false alarm), and
 * against every fault of the catalog (each must fail the run, and among the failing checks
 * must be the one for the rule the fault breaks). It is how the harness proves it catches
 * what it claims to, and cries wolf on nothing.
 */
import { runConformance } from "../checks/conformance.js";
import type { RunReport } from "../checks/results.js";
import { DEFAULT_CONFIG, type HarnessConfig } from "../config/config.js";
import { CHOICES, FAULTS, PERFORMANCE_FAULTS, startEmbeddedServer } from "../reference/index.js";

/** For each fault, the checks whose rule it breaks: at least one of them must fail. */
export const EXPECTED_CATCHERS: Record<string, string[]> = {
  "details-missing-workspace": ["response_schema_conformance"],
  "pending-messages-as-string": ["response_schema_conformance"],
  "null-assignee-omitted": ["response_schema_conformance"],
  "chat-id-without-hyphens": ["response_schema_conformance"],
  "created-at-without-zone": ["response_schema_conformance"],
  "status-in-progress": ["profile_response_rules"],
  "owner-email-missing": ["details_consistency"],
  "unassigned-name-placeholder": ["details_consistency"],
  "list-pending-count-zero": ["list_completeness"],
  "create-answers-201": ["status_code_conformance"],
  "unknown-ticket-400": ["unknown_ids_not_found"],
  "text-plain-content-type": ["content_type_conformance"],
  "error-body-plain-text": ["content_type_conformance", "profile_response_rules"],
  "page-past-end-404": ["list_pagination"],
  "list-without-auth": ["auth_required"],
  "validation-before-auth": ["auth_required"],
  "bad-json-500": ["not_a_server_error"],
  "create-completed": ["negative_data_rejection"],
  "second-open-ticket": ["lifecycle_rules", "lifecycle_model"],
  "complete-completed": ["lifecycle_rules", "lifecycle_model"],
  "takeover-reopens-completed": ["lifecycle_rules", "lifecycle_model"],
  "assign-completed": ["lifecycle_rules", "lifecycle_model"],
  "takeover-resets-ongoing-at": ["lifecycle_rules", "lifecycle_model"],
  "updated-at-frozen": ["lifecycle_rules", "lifecycle_model"],
  "tag-attach-twice": ["lifecycle_rules", "lifecycle_model"],
  "tag-remove-unattached": ["lifecycle_rules", "lifecycle_model", "unknown_ids_not_found"],
  "stale-details-cache": ["lifecycle_rules", "lifecycle_model"],
  "row-before-update": ["lifecycle_rules", "lifecycle_model"],
  "status-filter-ignored": ["list_items_match_filters"],
  "missing-status-accepted": ["negative_data_rejection"],
  "assignee-filter-ignored": ["list_items_match_filters"],
  "chat-filter-ignored": ["list_items_match_filters", "lifecycle_model"],
  "responder-filter-ignored": ["list_items_match_filters"],
  "responder-version-filter-ignored": ["list_items_match_filters"],
  "tag-filter-ignored": ["lifecycle_rules", "lifecycle_model"],
  "first-id-only": ["list_completeness", "lifecycle_model"],
  "filters-or-ed": ["list_items_match_filters"],
  "tags-match-all": ["lifecycle_rules", "lifecycle_model"],
  "search-case-sensitive": ["list_completeness", "list_search"],
  "search-ascii-case-fold": ["list_search"],
  "search-beyond-summary": ["list_search"],
  "removed-chats-listed": ["list_items_match_filters", "list_completeness"],
  "oldest-first": ["list_order"],
  "page-size-unbounded": ["negative_data_rejection"],
  "page-off-by-one": ["list_pagination", "list_completeness"],
  "reassign-same-409": ["accepted_boundaries", "lifecycle_model"],
  "body-escapes-refused": ["accepted_boundaries"],
  "complete-assignee-flips": ["lifecycle_rules", "lifecycle_model"],
  "method-405-sometimes": ["unlisted_input_held"],
  "unknown-query-parameter-500": ["unlisted_input_held", "not_a_server_error"],
  "unknown-param-refused-on-list-only": ["unlisted_input_held"],
  "unknown-field-refused-on-create-only": ["unlisted_input_held"],
  "uuid-version-inconsistent": ["unlisted_input_held"],
  "assignee-index-stale": ["lifecycle_rules", "lifecycle_model"],
  "assign-bulk-by-assignee": ["lifecycle_rules", "lifecycle_model"],
  "key-prefix-accepted": ["auth_required"],
  "key-case-insensitive": ["auth_required"],
  "tag-id-unvalidated": ["negative_data_rejection"],
  "page-size-max-99": ["accepted_boundaries", "list_pagination"],
  "uuid-filter-lowercase-only": ["accepted_boundaries"],
  "search-like-wildcards": ["accepted_boundaries", "list_items_match_filters"],
  "create-check-then-insert": ["lifecycle_concurrency"],
  "tag-attach-check-then-write": ["lifecycle_concurrency"],
  "completed-check-then-write": ["lifecycle_concurrency"],
  "updated-at-arrival-stamp": ["lifecycle_concurrency"],
  "slow-list": [],
};

export interface MatrixRow {
  /** The fault, "clean", or the other-side choice(s), comma-separated. */
  fault: string;
  /** "clean" for the clean server; "choice" for it with other sides of open choices. */
  kind: "clean" | "choice" | "fault" | "performance";
  seed: number;
  verdict: RunReport["verdict"];
  caught: boolean;
  /** The failing checks, with their number of failures. */
  failing: { id: string; failures: number }[];
  /** Whether a check for the fault's own rule is among the failing ones. */
  byItsRule: boolean;
  requests: number;
  durationMs: number;
}

export interface MatrixOptions {
  seeds: number[];
  runs?: number;
  faults?: string[];
  /** The other-side choices to run the clean suite against, each and all together; default all. */
  choices?: string[];
  /**
   * The seeds each fault runs at (default: the first of `seeds`). A fault caught at one
   * seed and missed at another is a sampled property that can miss: a coverage gap.
   */
  faultSeeds?: number[];
  onRow?: (row: MatrixRow) => void;
}

/**
 * Every choice at once, but one side of each open point: complete-assigns-completer and
 * complete-clears-assignee are two other sides of the same one (the assignee on complete),
 * and so are timestamps-microseconds and timestamps-second-precision (how many digits of a
 * second a timestamp is written with). Of each pair, the one that asks more of the checks
 * stays: whole seconds tie tickets on createdAt and let updatedAt stand still.
 */
const TOGETHER = CHOICES.map((choice) => choice.name).filter(
  (name) => name !== "complete-assigns-completer" && name !== "timestamps-microseconds",
);

export async function mutationMatrix(options: MatrixOptions): Promise<MatrixRow[]> {
  const config: HarnessConfig = {
    ...DEFAULT_CONFIG,
    ...(options.runs ? { runs: options.runs } : {}),
  };
  const rows: MatrixRow[] = [];
  const record = (row: MatrixRow) => {
    rows.push(row);
    options.onRow?.(row);
  };
  const first = options.seeds[0] ?? 1;
  for (const seed of options.seeds) record(await runOne(config, seed, {}));
  const choices = options.choices ?? CHOICES.map((choice) => choice.name);
  for (const choice of choices) record(await runOne(config, first, { choices: [choice] }));
  if (!options.choices) {
    for (const seed of options.seeds) record(await runOne(config, seed, { choices: TOGETHER }));
  }
  const faults = options.faults ?? FAULTS.map((fault) => fault.name);
  const faultSeeds = options.faultSeeds ?? [first];
  for (const fault of faults) {
    for (const seed of faultSeeds) record(await runOne(config, seed, { fault }));
  }
  return rows;
}

async function runOne(
  config: HarnessConfig,
  seed: number,
  server: { fault?: string; choices?: string[] },
): Promise<MatrixRow> {
  const { fault, choices = [] } = server;
  const report = await runConformance({
    config,
    seed,
    embedded: () =>
      startEmbeddedServer({ apiKeyEnv: config.apiKeyEnv, faults: fault ? [fault] : [], choices }),
  });
  const failing = report.checks
    .filter((check) => check.verdict === "fail")
    .map((check) => ({ id: check.id, failures: check.failureCount }));
  const expected = fault ? (EXPECTED_CATCHERS[fault] ?? []) : [];
  return {
    fault: fault ?? (choices.length > 0 ? choices.join(",") : "clean"),
    kind: kindOf(fault, choices),
    seed,
    verdict: report.verdict,
    caught: report.verdict === "fail",
    failing,
    byItsRule: failing.some((check) => expected.includes(check.id)),
    requests: report.requests,
    durationMs: report.durationMs,
  };
}

function kindOf(fault: string | undefined, choices: string[]): MatrixRow["kind"] {
  if (fault) return PERFORMANCE_FAULTS.includes(fault as never) ? "performance" : "fault";
  return choices.length > 0 ? "choice" : "clean";
}

/**
 * The matrix holds when every clean run passes (also with the other side of every open
 * choice: a pass, not merely no failure) and every fault but the performance ones is caught
 * by its rule.
 */
export function matrixHolds(rows: MatrixRow[]): boolean {
  return rows.every((row) => {
    if (row.kind === "clean" || row.kind === "choice") return row.verdict === "pass";
    if (row.kind === "performance") return true;
    return row.caught && row.byItsRule;
  });
}
