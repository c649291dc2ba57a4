/**
 * Runs a fast-check property as a check: seeded from the run, bounded in time, and on
 * failure reported with the shrunk counterexample and the seed and path that replay it
 * (`--seed N --replay <check>:<path>`).
 */
import fc from "fast-check";
import type { Exchange } from "../client/index.js";
import { RunStopped } from "../util/run-stopped.js";
import { CheckStopped } from "./check-stopped.js";
import { type CheckContext, unusableAnswer } from "./context.js";
import type { Counterexample } from "./model.js";

/** A broken rule inside a property, with the exchange that showed it. */
export class PropertyFailure extends Error {
  constructor(
    message: string,
    readonly exchange?: Exchange<unknown>,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(message);
    this.name = "PropertyFailure";
  }
}

const TIME_LIMIT_MS = 60_000;

export async function checkProperty<T>(
  context: CheckContext,
  property: fc.IAsyncPropertyWithHooks<T>,
  /** Cases run first in every run (they count among its runs), e.g. the smallest of each kind. */
  examples: T[] = [],
): Promise<void> {
  const { seed, runs } = context.options;
  const replay = replayOf(context);
  const details = await fc.check(property, {
    seed,
    numRuns: runs,
    ...(examples.length > 0 ? { examples } : {}),
    ...(replay.path ? { path: replay.path, endOnFailure: true } : {}),
    interruptAfterTimeLimit: TIME_LIMIT_MS,
    markInterruptAsFailure: false,
  });
  if (!details.failed) return;
  const error = details.errorInstance;
  // Run- and check-stopping errors (budget, interrupt, no answer) are not findings, nor is
  // a bug of the harness: the runner reports those.
  if (error instanceof RunStopped || error instanceof CheckStopped || isBug(error)) throw error;
  const value = fc.stringify(details.counterexample);
  // Model-based sequences (fc.commands) also need the commands' own replay path.
  const commands = /replayPath="([^"]*)"/.exec(value)?.[1];
  const replayPath = `${details.counterexamplePath ?? ""}${commands ? `@${commands}` : ""}`;
  const counterexample = {
    value,
    seed: details.seed,
    path: replayPath,
    replay: `${context.options.commandLine} --seed ${details.seed} --replay ${context.info.id}:${replayPath} --only ${context.info.id}`,
  };
  reportFailure(context, error, counterexample);
}

/** An error no property throws on purpose: a bug of the harness, not of the target. */
function isBug(error: unknown): boolean {
  return [TypeError, ReferenceError, RangeError, SyntaxError].some((kind) => error instanceof kind);
}

/** The run's replay of this check, if any: fast-check's path, and fc.commands' replay path. */
export function replayOf(context: CheckContext): { path?: string; commands?: string } {
  const replay = context.options.replay?.get(context.info.id);
  if (!replay) return {};
  const [path, commands] = replay.split("@");
  return { ...(path ? { path } : {}), ...(commands ? { commands } : {}) };
}

/** A failure as a finding of the check: a PropertyFailure keeps its exchange and values. */
export function reportFailure(
  context: CheckContext,
  error: unknown,
  counterexample?: Counterexample,
): void {
  const failure = error instanceof PropertyFailure ? error : undefined;
  context.fail(
    failure?.message ??
      `property failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      ...(failure?.exchange ? { exchange: failure.exchange } : {}),
      ...(failure?.expected !== undefined ? { expected: failure.expected } : {}),
      ...(failure?.actual !== undefined ? { actual: failure.actual } : {}),
      ...(counterexample ? { counterexample } : {}),
    },
  );
}

/** Ends the property's case with a failure unless the exchange has one of the statuses. */
export function requireStatus(
  context: CheckContext,
  exchange: Exchange<unknown>,
  what: string,
  ...statuses: number[]
): void {
  if (context.hasStatus(exchange, ...statuses)) {
    if (context.buildable(exchange)) return;
    throw new PropertyFailure(
      `${what}: ${unusableAnswer(exchange)}`,
      exchange,
      "a body of the shape the contract documents",
      answerOf(exchange),
    );
  }
  throw new PropertyFailure(
    `${what}: expected ${statuses.join(" or ")}`,
    exchange,
    statuses.join(" or "),
    answerOf(exchange),
  );
}

/** The parsed page of a list exchange, or a PropertyFailure if it is not one that conforms. */
export function pageOf<T>(context: CheckContext, exchange: Exchange<unknown>, what: string): T[] {
  const json = exchange.response?.json;
  if (exchange.response?.status !== 200 || !Array.isArray(json) || !context.usable(exchange)) {
    throw new PropertyFailure(
      `${what}: expected a 200 with a JSON array`,
      exchange,
      "200 [...]",
      answerOf(exchange),
    );
  }
  return json as T[];
}

export function answerOf(exchange: Exchange<unknown>): string {
  if (!exchange.response) return `no answer (${exchange.error?.message ?? "?"})`;
  const body = exchange.response.rawBody;
  return `${exchange.response.status} ${body.length > 160 ? `${body.slice(0, 159)}…` : body}`;
}
