/**
 * The library API, `import ... from "tickets-api-harness"`: a composition root like cli/,
 * re-exporting what a team's own code may build on (nothing here has logic of its own):
 * - run the conformance suite and get its results@1 record (what `check` writes as
 *   results.json), and write the same reports the CLI writes;
 * - the typed client, the reference server (on its own, or as `check` embeds it);
 * - the contract (its files' folder, the validator that loads and compiles it);
 * - the config loader and the result types.
 * The vitest entry is `tickets-api-harness/vitest` (src/vitest/).
 */
export type * from "../../contracts/types.js";
export { type ConformanceOptions, runConformance } from "../checks/conformance.js";
export type {
  CheckInfo,
  CheckResult,
  Counterexample,
  ExchangeRecord,
  Finding,
  RuleSource,
  Verdict,
} from "../checks/model.js";
export { allChecks } from "../checks/registry.js";
export type { EnumObservation, RunReport, RunVerdict } from "../checks/results.js";
export type {
  Exchange,
  ExchangeError,
  ExchangeRequest,
  ExchangeResponse,
  SendRequest,
  TicketsClient,
  TicketsClientOptions,
} from "../client/index.js";
export { createTicketsClient, toCurl } from "../client/index.js";
export {
  type BenchConfig,
  CONFIG_FILE,
  CONFIG_SCHEMA_FILE,
  DEFAULT_CONFIG,
  type HarnessConfig,
  loadConfig,
  type ProfileOverrides,
} from "../config/config.js";
export type { FixtureIds, Fixtures } from "../contract/profile-facts.js";
export {
  ContractValidator,
  type LoadOptions,
  type ValidationResult,
  type Violation,
} from "../contract/validator.js";
export {
  DEV_API_KEY,
  FAULTS,
  type Fault,
  type FaultName,
  type ReferenceServer,
  type ReferenceServerOptions,
  startEmbeddedServer,
  startReferenceServer,
} from "../reference/index.js";
export { writeReports } from "../report/write-reports.js";
export { chooseBaseUrl } from "../target/index.js";
export { ExitCode, UserError } from "../util/exit-codes.js";
/** The folder of the contract: `openapi.json`, `schemas/`, `types.d.ts`, `source/`. */
export { CONTRACTS_DIR } from "../util/package-root.js";
