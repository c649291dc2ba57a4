/**
 * A conformance run, end to end: the target (a base URL, or the embedded reference server
 * started in-process), the key, a first request to see it answers, the fixtures, the
 * checks, the cleanup and the report. The CLI and the vitest project both run this.
 */
import { randomInt } from "node:crypto";
import { createTicketsClient, type Exchange, type TicketsClient } from "../client/index.js";
import type { HarnessConfig } from "../config/config.js";
import { ContractValidator } from "../contract/validator.js";
import { ExitCode, UserError } from "../exit-codes.js";
import { type ReferenceServer, startReferenceServer } from "../reference/index.js";
import { countVerdicts, type EnumObservation, type RunReport } from "../report/run-report.js";
import { readFixturesFile, resolveFixtures } from "./fixtures.js";
import type { CheckResult } from "./model.js";
import { ENUM_FIELDS, PASSIVE_CHECKS } from "./passive.js";
import { effectiveProfile } from "./profile.js";
import { runChecks } from "./runner.js";
import { Session, TargetUnreachableError } from "./session.js";
import { ACTIVE_CHECKS, allChecks } from "./suite.js";

export interface ConformanceOptions {
  config: HarnessConfig;
  /** Absent: the embedded reference server. */
  baseUrl?: string;
  fixturesFile?: string;
  seed?: number;
  /** Faults for the embedded server (the mutation matrix uses this). */
  embeddedFaults?: string[];
  /** check id -> fast-check path: replay that property's counterexample. */
  replay?: Map<string, string>;
  /** Sees every exchange the checks make. */
  onExchange?: (exchange: Exchange<unknown>) => void;
  /** Called with the session once it exists, e.g. to interrupt it on SIGINT. */
  onSession?: (session: Session) => void;
}

const EMBEDDED_TICKETS = 5_000;
export async function runConformance(options: ConformanceOptions): Promise<RunReport> {
  const { config } = options;
  checkSelection(config);
  const started = Date.now();
  const seed = options.seed ?? config.seed ?? randomInt(1, 2 ** 31 - 1);
  const server = options.baseUrl
    ? undefined
    : await startReferenceServer({
        seed: 1,
        tickets: EMBEDDED_TICKETS,
        faults: options.embeddedFaults ?? [],
        apiKeyEnv: config.apiKeyEnv,
      });
  const baseUrl = options.baseUrl ?? (server as ReferenceServer).url;
  // The client reads its key from the environment; for the embedded server's development
  // key, lend it the variable only while the client is made.
  const lent = server !== undefined && !process.env[config.apiKeyEnv];
  if (lent) process.env[config.apiKeyEnv] = server.apiKey;
  if (!process.env[config.apiKeyEnv]) {
    throw new UserError(
      `no API key: set the environment variable ${config.apiKeyEnv} (or name another in the config's "apiKeyEnv")`,
    );
  }
  const client = createTicketsClient({
    baseUrl,
    apiKeyEnv: config.apiKeyEnv,
    authScheme: config.authScheme,
    timeoutMs: config.timeoutMs,
  });
  if (lent) delete process.env[config.apiKeyEnv];
  try {
    await probe(client, baseUrl, config.apiKeyEnv);
    const given = [
      options.fixturesFile ? readFixturesFile(options.fixturesFile) : {},
      config.fixtures,
    ];
    const { fixtures, sources } = await resolveFixtures(client, given, config.readOnly);
    const profile = effectiveProfile(config.profile);
    const session = new Session({
      client,
      validator: ContractValidator.load(undefined, { enums: profile.enums }),
      profile,
      fixtures,
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
    const outcome = await runChecks(session, ACTIVE_CHECKS, {
      only: config.only,
      skip: config.skip,
    });
    const checks = outcome.results;
    const enums = enumObservations(session);
    warnOfUnseenValues(checks, enums);
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
      target: { baseUrl, embedded: server !== undefined },
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
      enums,
      fixtureSources: sources,
      leftovers: outcome.leftovers,
      replay: `${commandLine(options)} --seed ${seed}`,
    };
  } finally {
    await client.close();
    await server?.close();
  }
}

/** One request before anything else: is the target there, and does it take the key? */
async function probe(client: TicketsClient, baseUrl: string, apiKeyEnv: string): Promise<void> {
  const exchange = await client.listTicketDetails({ status: "pending", pageSize: 1 });
  if (exchange.error)
    throw new TargetUnreachableError(`target ${baseUrl} did not answer: ${exchange.error.message}`);
  if (exchange.response?.status === 404) {
    throw new UserError(
      `target ${baseUrl} answered 404 to GET /api/v1/tickets/details: is the base URL right (it is the part before /api/v1)?`,
    );
  }
  if (exchange.response?.status === 401) {
    throw new UserError(
      `target ${baseUrl} refused the API key in $${apiKeyEnv} (401): check the key and the config's "authScheme"`,
    );
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

function enumObservations(session: Session): EnumObservation[] {
  return Object.entries(ENUM_FIELDS).map(([field, shape]) => {
    const expected = session.options.validator.schema(shape)?.properties?.[field]?.enum ?? [];
    const observed = [...(session.observedEnums.get(field) ?? [])].sort(byText);
    return {
      field,
      expected,
      observed,
      unexpected: observed.filter((value) => !expected.includes(value)),
      unseen: expected.filter((value) => !observed.includes(value)),
    };
  });
}

/** Enum values the contract expects and the run never saw: a warning, not a failure. */
function warnOfUnseenValues(checks: CheckResult[], enums: EnumObservation[]): void {
  const check = checks.find((candidate) => candidate.id === PASSIVE_CHECKS.profileShapes.id);
  if (!check || check.verdict === "skip") return;
  for (const { field, unseen, observed } of enums) {
    if (unseen.length === 0 || observed.length === 0) continue;
    const list = (values: (string | null)[]) =>
      values.map((value) => JSON.stringify(value)).join(", ");
    check.warnings.push({
      checkId: check.id,
      message: `${field}: never observed ${list(unseen)} (seen: ${list(observed)})`,
    });
    check.warningCount++;
  }
  if (check.verdict === "pass" && check.warnings.length > 0) check.verdict = "warn";
}

function byText(a: string | null, b: string | null): number {
  return String(a).localeCompare(String(b));
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
