/**
 * A conformance run, end to end: the target (opened by src/target/: its base URL or the
 * embedded server the caller hands over, the key, the first probe, the fixtures), the
 * checks, the cleanup and the report. The CLI and the vitest entry both run this.
 */
import { randomInt } from "node:crypto";
import type { Exchange } from "../client/index.js";
import type { HarnessConfig } from "../config/config.js";
import { ContractValidator } from "../contract/validator.js";
import { openTarget, type TargetOptions } from "../target/index.js";
import { ExitCode, UserError } from "../util/exit-codes.js";
import { effectiveProfile } from "./profile.js";
import { ACTIVE_CHECKS, allChecks, PASSIVE_CHECKS } from "./registry.js";
import { countVerdicts, type RunReport } from "./results.js";
import { runChecks, type Selection, skipReason } from "./runner.js";
import { Session } from "./session.js";

export interface ConformanceOptions extends Omit<TargetOptions, "config"> {
  config: HarnessConfig;
  seed?: number;
  /** check id -> fast-check path: replay that property's counterexample. */
  replay?: Map<string, string>;
  /** Sees every exchange the checks make. */
  onExchange?: (exchange: Exchange<unknown>) => void;
  /** Called with the session once it exists, e.g. to interrupt it on SIGINT. */
  onSession?: (session: Session) => void;
}

export async function runConformance(options: ConformanceOptions): Promise<RunReport> {
  const { config } = options;
  checkSelection(config);
  const started = Date.now();
  const seed = options.seed ?? config.seed ?? randomInt(1, 2 ** 31 - 1);
  const target = await openTarget(options);
  try {
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
      ...(options.replay ? { replay: options.replay } : {}),
      commandLine: commandLine(options),
      ...(options.onExchange ? { onExchange: options.onExchange } : {}),
    });
    options.onSession?.(session);
    const outcome = await runChecks(
      session,
      { active: ACTIVE_CHECKS, passive: PASSIVE_CHECKS },
      selection,
    );
    const checks = outcome.results;
    const verdict = outcome.incomplete
      ? "incomplete"
      : checks.some((check) => check.verdict === "fail")
        ? "fail"
        : "pass";
    const testedNothing = !checks.some((check) => check.meaningfulRequests > 0 && !check.passive);
    return {
      format: "tickets-api-harness/results@1",
      runId: runIdOf(started, seed),
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      target: { baseUrl: target.baseUrl, embedded: target.embedded },
      seed,
      runs: config.runs,
      readOnly: config.readOnly,
      verdict: testedNothing && verdict === "pass" ? "incomplete" : verdict,
      exitCode: exitCodeOf(verdict, testedNothing),
      ...(outcome.incomplete
        ? { incomplete: outcome.incomplete }
        : testedNothing
          ? { incomplete: "no check tested anything" }
          : {}),
      counts: countVerdicts(checks),
      requests: checks.reduce((sum, check) => sum + check.requests, 0),
      checks,
      enums: outcome.enums,
      fixtureSources: target.fixtureSources as Record<string, string>,
      leftovers: outcome.leftovers,
      replay: `${commandLine(options)} --seed ${seed}`,
    };
  } finally {
    await target.close();
  }
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

function exitCodeOf(verdict: RunReport["verdict"], testedNothing: boolean): number {
  if (verdict === "incomplete") return ExitCode.Incomplete;
  if (verdict === "fail") return ExitCode.RuleBroken;
  return testedNothing ? ExitCode.Incomplete : ExitCode.Ok;
}

function runIdOf(started: number, seed: number): string {
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
