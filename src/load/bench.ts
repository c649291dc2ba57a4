/**
 * A bench run, end to end: the scenarios loaded and their thresholds parsed (a bad one is
 * a config error before anything is sent), the target opened by src/target/ as `check`
 * opens it, what the target holds read once, then each scenario under its load model with
 * a sample of the answers validated against the contract, its thresholds evaluated, and
 * at the end the cleanup of what the writing scenarios created.
 */
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname } from "node:path";
import { type Exchange, toCurl } from "../client/index.js";
import type { HarnessConfig } from "../config/config.js";
import { ContractValidator } from "../contract/validator.js";
import {
  cleanUp,
  type Leftover,
  openTarget,
  type Target,
  type TargetOptions,
} from "../target/index.js";
import { UserError } from "../util/exit-codes.js";
import { runClosed } from "./closed-runner.js";
import { readTarget, scenarioContext } from "./context.js";
import { runOpen } from "./open-runner.js";
import { LoadRecorder } from "./recorder.js";
import type {
  BenchReport,
  InvalidExample,
  LoadModel,
  ScenarioResult,
  ShardIdentity,
} from "./results.js";
import type { RunnerOptions } from "./runner-options.js";
import {
  defaultInFlight,
  loadScenario,
  type PlannedRequest,
  type RequestSource,
  type Scenario,
  type SeenOnTarget,
} from "./scenario.js";
import { INVALID_EXAMPLES_KEPT, runVerdict, scenarioResult } from "./scenario-result.js";
import { parseThreshold, type Threshold } from "./thresholds.js";
import { runBenchInWorkers } from "./workers.js";

export interface BenchSettings {
  /** Scenario names or paths; `all` for every built-in one. */
  scenarios: string[];
  durationSeconds?: number;
  warmupSeconds?: number;
  /** Makes every scenario closed with this many connections. */
  connections?: number;
  /** Makes every scenario open at this arrival rate. */
  rate?: number;
  /** From `--threshold`: added to every scenario's own. */
  thresholds: string[];
  /** From the config: added to every scenario's own. */
  configThresholds: string[];
  /** The share of answers validated against the contract, 0..1. */
  validateSample: number;
  seed: number;
  /** The windows the measured time is cut into, for the per-round figures (default 5). */
  rounds?: number;
  /** `--shard I/N`: this process runs part I of N of every scenario. */
  shard?: ShardIdentity;
  /**
   * `--raw-latencies FILE`: every measured answer appended to FILE as CSV (scenario,
   * epoch_ms, status, latency_us, label), latencies as the histograms record them.
   */
  rawLatenciesFile?: string;
  /** `--workers N`: N worker threads, each a shard, merged in process. */
  workers?: number;
  /** `--start-at`: the first scenario starts at this wall-clock time (epoch ms), shards together. */
  startAtMs?: number;
}

/** Enough per-round values for a rank test to see a change, short enough to mean a window. */
export const DEFAULT_ROUNDS = 5;

export interface BenchOptions extends Omit<TargetOptions, "config"> {
  config: HarnessConfig;
  settings: BenchSettings;
  /** The embedded server's size, for the report. */
  embeddedTickets?: number;
  /** The run's id, if the caller chose it (to name the report folder, and so the journal's, first). */
  runId?: string;
  onScenarioStart?(scenario: { name: string }, model: LoadModel, seconds: number): void;
  onProgress?(progress: Progress): void;
  onScenarioEnd?(result: ScenarioResult): void;
  signal?: AbortSignal;
}

export interface Progress {
  scenario: string;
  elapsedSeconds: number;
  totalSeconds: number;
  requests: number;
  errors: number;
  /** Answers in the last second. */
  rate: number;
}

/** Enough to catch a server that answers wrong within a second, few enough to cost little. */
const MAX_VALIDATED_PER_SECOND = 100;

/** A scenario as it will run: known before anything is sent. */
export interface Planned {
  scenario: Scenario;
  /** This process's load: the whole model, or a shard's share of it. */
  model: LoadModel;
  wholeModel: LoadModel;
  warmupSeconds: number;
  durationSeconds: number;
  thresholds: Threshold[];
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const workers = options.settings.workers ?? 1;
  if (workers > 1) return runBenchInWorkers(options, workers);
  const started = Date.now();
  const plans = await planScenarios(options.settings);
  if (options.settings.rawLatenciesFile) startRawFile(options.settings.rawLatenciesFile);
  const writes = plans.some((plan) => plan.scenario.writes === true);
  const { shard } = options.settings;
  const target = await openTarget({
    ...options,
    readOnly: !writes,
    ...(shard ? { chatShare: shard } : {}),
  });
  try {
    const seen = await readTarget(target);
    if (options.settings.startAtMs !== undefined)
      await waitUntil(options.settings.startAtMs, options);
    const validator = ContractValidator.load(undefined, {
      enums: options.config.profile.enums ?? {},
    });
    const scenarios: ScenarioResult[] = [];
    let incomplete: string | undefined;
    for (const [index, plan] of plans.entries()) {
      if (options.signal?.aborted) {
        incomplete = "interrupted before every scenario ran";
        break;
      }
      const result = await runScenario(plan, target, seen, validator, options, index);
      scenarios.push(result);
      options.onScenarioEnd?.(result);
      if (result.incomplete) incomplete ??= `${result.name}: ${result.incomplete}`;
    }
    const leftovers = await cleanUp(
      target.client,
      target.ledger,
      target.fixtures.userIds[0] ?? null,
    );
    return reportOf(options, target, scenarios, started, incomplete, leftovers);
  } finally {
    await target.close();
  }
}

/** Every scenario and every threshold checked before anything is sent. */
export async function planScenarios(settings: BenchSettings): Promise<Planned[]> {
  const names =
    settings.scenarios.length === 0 || settings.scenarios.includes("all")
      ? ALL_SCENARIOS
      : settings.scenarios;
  const extra = [
    ...settings.configThresholds.map((text) => parseThreshold(text, "config")),
    ...settings.thresholds.map((text) => parseThreshold(text, "flag")),
  ];
  const plans: Planned[] = [];
  for (const name of names) {
    const scenario = await loadScenario(name);
    const wholeModel = modelOf(scenario.model, settings);
    plans.push({
      scenario,
      model: settings.shard ? shareOf(wholeModel, settings.shard, scenario.name) : wholeModel,
      wholeModel,
      warmupSeconds: settings.warmupSeconds ?? scenario.warmupSeconds,
      durationSeconds: settings.durationSeconds ?? scenario.durationSeconds,
      thresholds: [
        ...scenario.thresholds.map((text) => parseThreshold(text, "scenario")),
        ...extra,
      ],
    });
  }
  return plans;
}

/** The built-in scenarios `all` runs, in this order. */
export const ALL_SCENARIOS = [
  "list-default",
  "list-page-100",
  "list-filters",
  "list-deep-pages",
  "mixed",
];

function modelOf(model: LoadModel, settings: BenchSettings): LoadModel {
  if (settings.rate !== undefined) {
    const maxInFlight = model.kind === "open" ? model.maxInFlight : defaultInFlight(settings.rate);
    return { kind: "open", rate: settings.rate, maxInFlight };
  }
  if (settings.connections !== undefined)
    return { kind: "closed", connections: settings.connections };
  return model;
}

async function runScenario(
  plan: Planned,
  target: Target,
  seen: SeenOnTarget,
  validator: ContractValidator,
  options: BenchOptions,
  index: number,
): Promise<ScenarioResult> {
  const { scenario, model } = plan;
  const seed = scenarioSeed(options.settings, index);
  const context = scenarioContext(target, seen, seed);
  const scenarioSource = await scenario.requests(context);
  const warmupMs = plan.warmupSeconds * 1000;
  const durationMs = plan.durationSeconds * 1000;
  const start = performance.now();
  const recorder = new LoadRecorder(
    start + warmupMs,
    durationMs,
    options.settings.rounds ?? DEFAULT_ROUNDS,
  );
  const raw = options.settings.rawLatenciesFile ? rawLatencies(scenario.name, recorder) : undefined;
  const sampler = new Sampler(options.settings.validateSample, validator, target, recorder);
  // Not a spread: a scenario's source may be a class instance, its methods on the prototype.
  const source: RequestSource = {
    needsBodies: scenarioSource.needsBodies === true,
    onAnswer: (request, status, body) => scenarioSource.onAnswer?.(request, status, body),
    next: () => {
      const request = scenarioSource.next();
      sampler.choose(request);
      return request;
    },
  };
  const totalSeconds = plan.warmupSeconds + plan.durationSeconds;
  options.onScenarioStart?.(scenario, model, totalSeconds);
  let lastCount = 0;
  const tick = () => {
    const requests = recorder.counts.requests;
    options.onProgress?.({
      scenario: scenario.name,
      elapsedSeconds: (performance.now() - start) / 1000,
      totalSeconds,
      requests,
      errors: recorder.counts.errors,
      rate: requests - lastCount,
    });
    lastCount = requests;
  };
  const origin = new URL(target.baseUrl).origin;
  const onAnswer = (
    request: PlannedRequest,
    status: number,
    body: string | undefined,
    at: number,
  ) => sampler.answer(request, status, body, at, origin);
  let incomplete: string | undefined;
  // What both runners take; each adds its model's own settings.
  const run: RunnerOptions = {
    origin,
    headers: target.authHeaders(),
    warmupMs,
    durationMs,
    timeoutMs: options.config.timeoutMs,
    recorder,
    source,
    keepBody: (request: PlannedRequest) => sampler.wants(request),
    onAnswer,
    onTick: tick,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  try {
    if (model.kind === "closed") await runClosed({ ...run, connections: model.connections });
    else await runOpen({ ...run, rate: model.rate, maxInFlight: model.maxInFlight });
  } catch (error) {
    incomplete = `the load generator failed: ${(error as Error).message}`;
  }
  if (options.signal?.aborted) incomplete ??= "interrupted";
  if (raw) appendFileSync(options.settings.rawLatenciesFile as string, raw.join(""));
  return scenarioResult(
    {
      name: scenario.name,
      description: scenario.description,
      model,
      ...(options.settings.shard ? { wholeModel: plan.wholeModel } : {}),
      durationSeconds: plan.durationSeconds,
      warmupSeconds: plan.warmupSeconds,
      validateSample: sampler.share,
      seed,
      thresholds: plan.thresholds,
      invalidExamples: sampler.examples,
      ...(incomplete ? { incomplete } : {}),
    },
    recorder,
  );
}

/** Waits for `--start-at` (a signal ends the wait); a time already past starts at once, saying so. */
async function waitUntil(startAtMs: number, options: BenchOptions): Promise<void> {
  const wait = startAtMs - Date.now();
  if (wait <= 0) {
    if (wait < -1000)
      options.onNotice?.(
        `--start-at ${new Date(startAtMs).toISOString()} was ${(-wait / 1000).toFixed(1)} s ago: starting now, out of step with the other shards`,
      );
    return;
  }
  options.onNotice?.(
    `waiting ${(wait / 1000).toFixed(1)} s for --start-at ${new Date(startAtMs).toISOString()}`,
  );
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    options.signal?.addEventListener("abort", done, { once: true });
  });
}

/** `--raw-latencies FILE`: its folder made and its header written, or one line why not (exit 2). */
function startRawFile(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    if (!existsSync(file)) writeFileSync(file, "scenario,epoch_ms,status,latency_us,label\n");
  } catch (error) {
    throw new UserError(`--raw-latencies ${file}: ${(error as Error).message}`);
  }
}

/** The CSV lines of every answer `recorder` records, kept until the scenario ends. */
function rawLatencies(scenario: string, recorder: LoadRecorder): string[] {
  const lines: string[] = [];
  recorder.onRecorded = (epochMs, status, latencyUs, label) => {
    lines.push(`${scenario},${epochMs.toFixed(3)},${status},${latencyUs},${label ?? ""}\n`);
  };
  return lines;
}

/**
 * A scenario's seed: the run's, plus its place in the run, plus (a shard) a stride per
 * shard, so that shards given the same `--seed` still send different requests.
 */
function scenarioSeed(settings: BenchSettings, index: number): number {
  const shard = settings.shard ? (settings.shard.index - 1) * 100_003 : 0;
  return (settings.seed + index + shard) % 2 ** 31;
}

/**
 * A shard's share of the whole load: the connections dealt out one by one (shard 1 gets
 * the first of any remainder), or the arrival rate (and in-flight cap) divided by N.
 */
export function shareOf(model: LoadModel, shard: ShardIdentity, scenario: string): LoadModel {
  if (model.kind === "open") {
    return {
      kind: "open",
      rate: model.rate / shard.count,
      maxInFlight: Math.max(1, Math.ceil(model.maxInFlight / shard.count)),
    };
  }
  const connections =
    Math.floor(model.connections / shard.count) +
    (shard.index <= model.connections % shard.count ? 1 : 0);
  if (connections < 1) {
    throw new UserError(
      `--shard ${shard.index}/${shard.count}: ${scenario} has ${model.connections} connections, fewer than the ${shard.count} shards (give --connections ${shard.count} or more)`,
    );
  }
  return { kind: "closed", connections };
}

/**
 * Validates one answer in every `1/share` against the contract, with the validator the
 * checks use: a server that answers fast but wrong fails the scenario, with the count and
 * a few examples as curl (the key shown as its variable).
 */
class Sampler {
  readonly examples: InvalidExample[] = [];
  readonly share: number;
  private readonly every: number;
  private readonly chosen = new WeakSet<PlannedRequest>();
  private made = 0;
  private second = 0;
  private chosenThisSecond = 0;

  constructor(
    share: number,
    private readonly validator: ContractValidator,
    private readonly target: Target,
    private readonly recorder: LoadRecorder,
  ) {
    this.share = Math.min(1, Math.max(0, share));
    this.every = this.share === 0 ? Number.POSITIVE_INFINITY : Math.round(1 / this.share);
  }

  /**
   * Called as each request is made: every `1/share`-th one is chosen for validation, at
   * most MAX_VALIDATED_PER_SECOND a second, so that at 20,000 requests a second the
   * validation still costs the generator a few percent, not a tenth of its core.
   */
  choose(request: PlannedRequest): void {
    this.made++;
    if (this.made % this.every !== 0) return;
    const second = Math.floor(performance.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.chosenThisSecond = 0;
    }
    if (this.chosenThisSecond >= MAX_VALIDATED_PER_SECOND) return;
    this.chosenThisSecond++;
    this.chosen.add(request);
  }

  /** Whether this request's answer will be validated (so its body must be kept). */
  wants(request: PlannedRequest): boolean {
    return this.chosen.has(request);
  }

  answer(
    request: PlannedRequest,
    status: number,
    body: string | undefined,
    at: number,
    origin: string,
  ): void {
    if (!this.chosen.delete(request) || !request.operationId || status === 0) return;
    const problem = this.problemOf(request, status, body);
    this.recorder.validated(problem === undefined, at);
    if (problem === undefined || this.examples.length >= INVALID_EXAMPLES_KEPT) return;
    this.examples.push({ message: problem, curl: this.curlOf(request, origin), status });
  }

  private problemOf(
    request: PlannedRequest,
    status: number,
    body: string | undefined,
  ): string | undefined {
    const operationId = request.operationId as string;
    if (!this.validator.documentedStatuses(operationId).includes(status)) {
      return `${operationId} answered ${status}, a status the contract does not document`;
    }
    let json: unknown;
    try {
      json = JSON.parse(body ?? "");
    } catch {
      return `${operationId} ${status}: the body is not JSON`;
    }
    const failure = this.validator.validateResponse(operationId, status, json).failures[0];
    return failure
      ? `${failure.where} ${failure.pointer || "(body)"}: ${failure.rule} (expected ${failure.expected}, got ${failure.actual})`
      : undefined;
  }

  private curlOf(request: PlannedRequest, origin: string): string {
    const exchange: Exchange<unknown> = {
      request: {
        method: request.method,
        url: `${origin}${request.path}`,
        headers: { authorization: this.target.keyName },
        ...(request.body === undefined ? {} : { body: request.body }),
      },
      timing: { startedAt: new Date().toISOString(), durationMs: 0 },
    };
    return toCurl(exchange);
  }
}

function reportOf(
  options: BenchOptions,
  target: Target,
  scenarios: ScenarioResult[],
  started: number,
  incomplete: string | undefined,
  leftovers: Leftover[],
): BenchReport {
  const host = new URL(target.baseUrl).hostname;
  return {
    format: "tickets-api-harness/bench@1",
    runId: options.runId ?? benchRunId(started, options.settings.seed),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    target: {
      baseUrl: target.baseUrl,
      embedded: target.embedded,
      ...(target.embedded && options.embeddedTickets ? { tickets: options.embeddedTickets } : {}),
    },
    ...(options.settings.shard ? { shard: options.settings.shard } : {}),
    seed: options.settings.seed,
    environment: {
      cpuModel: cpus()[0]?.model ?? "unknown",
      cpus: cpus().length,
      loadAverage: loadavg(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      sharedCores: isLoopback(host),
    },
    ...runVerdict(scenarios, incomplete),
    ...(incomplete ? { incomplete } : {}),
    scenarios,
    leftovers,
  };
}

/** The id of a bench run that started at `started` with `seed`: it names its report folder. */
export function benchRunId(started: number, seed: number): string {
  return `${new Date(started).toISOString().replace(/[:.]/g, "-")}-bench-seed-${seed}`;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127\./.test(host);
}
