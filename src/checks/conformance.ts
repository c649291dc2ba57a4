/**
 * A conformance run, end to end: the target (opened by src/target/: its base URL or the
 * embedded server the caller hands over, the key, the first probe, the fixtures), the
 * checks, the cleanup and the report. The CLI and the vitest entry both run this.
 */
import { randomInt } from "node:crypto";
import type { Exchange } from "../client/index.js";
import type { HarnessConfig } from "../config/config.js";
import { ContractValidator } from "../contract/validator.js";
import { openTarget, type Target, type TargetOptions } from "../target/index.js";
import { ExitCode, UserError } from "../util/exit-codes.js";
import { coverageWarnings, withCoverageWarnings } from "./coverage.js";
import { effectiveProfile } from "./profile.js";
import { ACTIVE_CHECKS, allChecks, PASSIVE_CHECKS } from "./registry.js";
import { countVerdicts, type RunReport } from "./results.js";
import { runChecks, type Selection, skippedResult, skipReason } from "./runner.js";
import { Session } from "./session.js";

export interface ConformanceOptions extends Omit<TargetOptions, "config"> {
  config: HarnessConfig;
  seed?: number;
  /** check id -> fast-check path: replay that property's counterexample. */
  replay?: Map<string, string>;
  /** Sees every exchange the checks make. */
  onExchange?: (exchange: Exchange<unknown>) => void;
  /** The run's id, if the caller chose it (to name the report folder before the run). */
  runId?: string;
}

/**
 * Runs the checks and returns the run's report; it never throws for what the target does.
 * A target that cannot be opened (unreachable, a refused key, missing fixtures) gives a
 * report of a run that did not start, with the exit code of its cause.
 */
export async function runConformance(options: ConformanceOptions): Promise<RunReport> {
  const { config } = options;
  checkSelection(config);
  const started = Date.now();
  const seed = options.seed ?? config.seed ?? randomInt(1, 2 ** 31 - 1);
  const run: RunFrame = { options, started, seed };
  let target: Target;
  try {
    target = await openTarget(options);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return notStarted(run, error);
  }
  try {
    return await checkTarget(run, target);
  } finally {
    await target.close();
  }
}

interface RunFrame {
  options: ConformanceOptions;
  started: number;
  seed: number;
}

async function checkTarget(run: RunFrame, target: Target): Promise<RunReport> {
  const { options, started, seed } = run;
  const { config } = options;
  const profile = effectiveProfile(config.profile);
  const selection: Selection = {
    only: config.only,
    skip: config.skip,
    readOnly: config.readOnly,
    profile,
  };
  const session = new Session({
    target,
    validator: ContractValidator.load(undefined, { enums: profile.enums }),
    profile,
    passive: PASSIVE_CHECKS.filter((check) => !skipReason(check, selection)),
    seed,
    runs: config.runs,
    readOnly: config.readOnly,
    rate: config.rate,
    deadline: started + config.budgetSeconds * 1000,
    maxWaitMs: config.maxWaitSeconds * 1000,
    ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    ...(options.replay ? { replay: options.replay } : {}),
    commandLine: commandLine(options),
    ...(options.onExchange ? { onExchange: options.onExchange } : {}),
  });
  const interrupt = () => session.interrupt(String(options.signal?.reason ?? "interrupt"));
  options.signal?.addEventListener("abort", interrupt, { once: true });
  if (options.signal?.aborted) interrupt();
  const outcome = await runChecks(
    session,
    { active: ACTIVE_CHECKS, passive: PASSIVE_CHECKS },
    selection,
  ).finally(() => options.signal?.removeEventListener("abort", interrupt));
  // What the run never exercised: a warning to the check whose rule it left untried.
  const coverage = session.coverage;
  const checks = withCoverageWarnings(
    outcome.results,
    coverageWarnings(coverage, { readOnly: config.readOnly }),
  );
  const testedNothing = !checks.some((check) => check.meaningfulRequests > 0 && !check.passive);
  const failed = checks.some((check) => check.verdict === "fail");
  // A run that tested nothing is incomplete, whatever else it saw: it never passes or fails.
  // Nor does a run pass that left something on the target.
  const incomplete =
    outcome.incomplete ??
    (testedNothing
      ? "no check tested anything"
      : !failed && outcome.leftovers.length > 0
        ? `cleanup could not undo everything: ${outcome.leftovers.length} item(s) left on the target, named in the report (\`tickets-harness cleanup --report-dir DIR\` tries again)`
        : undefined);
  const verdict: RunReport["verdict"] = incomplete ? "incomplete" : failed ? "fail" : "pass";
  return {
    ...frameOf(run, target),
    verdict,
    exitCode: EXIT_CODE[verdict],
    ...(incomplete ? { incomplete } : {}),
    counts: countVerdicts(checks),
    requests: checks.reduce((sum, check) => sum + check.requests, 0),
    checks,
    enums: outcome.enums,
    fixtureSources: target.fixtureSources as Record<string, string>,
    leftovers: outcome.leftovers,
    coverage,
    choices: session.choices.list(),
  };
}

const EXIT_CODE: Record<RunReport["verdict"], number> = {
  pass: ExitCode.Ok,
  fail: ExitCode.RuleBroken,
  incomplete: ExitCode.Incomplete,
};

/** The report of a run whose target could not be opened: every check not run, and why. */
function notStarted(run: RunFrame, error: UserError): RunReport {
  const reason = `not run: ${error.message}`;
  const checks = allChecks().map((check) => skippedResult(check, reason));
  return {
    ...frameOf(run, {
      baseUrl: run.options.baseUrl ?? "(the embedded reference server)",
      embedded: !run.options.baseUrl,
    }),
    verdict: "incomplete",
    exitCode: error.exitCode,
    incomplete: error.message,
    notStarted: true,
    counts: countVerdicts(checks),
    requests: 0,
    checks,
    enums: [],
    fixtureSources: {},
    leftovers: [],
  };
}

function frameOf(run: RunFrame, target: Pick<Target, "baseUrl" | "embedded">) {
  const { options, started, seed } = run;
  return {
    format: "tickets-api-harness/results@1" as const,
    runId: options.runId ?? runIdOf(started, seed),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    target: { baseUrl: target.baseUrl, embedded: target.embedded },
    seed,
    runs: options.config.runs,
    readOnly: options.config.readOnly,
    replay: `${commandLine(options)} --seed ${seed}`,
  };
}

function checkSelection(config: HarnessConfig): void {
  const known = new Set(allChecks().map((check) => check.id));
  const unknown = [...config.only, ...config.skip].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserError(
      `unknown check id(s): ${unknown.join(", ")}; \`tickets-harness checks\` lists them`,
    );
  }
}

/** The id of a run that started at `started` with `seed`: it names its report folder. */
export function runIdOf(started: number, seed: number): string {
  return `${new Date(started).toISOString().replace(/[:.]/g, "-")}-seed-${seed}`;
}

/** The command that targets the same as this run, with its options but the seed. */
function commandLine(options: ConformanceOptions): string {
  const parts = ["npx tickets-harness check", `--runs ${options.config.runs}`];
  if (options.baseUrl) parts.push(`--base-url ${options.baseUrl}`);
  if (options.config.source) parts.push(`--config ${options.config.source}`);
  if (options.fixturesFile) parts.push(`--fixtures ${options.fixturesFile}`);
  if (options.config.readOnly) parts.push("--read-only");
  return parts.join(" ");
}
