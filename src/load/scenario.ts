/**
 * A load scenario: data (name, what it measures, the load model, warm-up, duration,
 * thresholds) plus a request generator. The built-in ones live in scenarios/, one file
 * each; a user's own file has the same shape and runs by path. A file that breaks the
 * shape is a config error (exit 2) that names the field.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Faker } from "@faker-js/faker";
import type { OperationId, TicketDetails } from "../../contracts/types.js";
import type { TicketsClient } from "../client/index.js";
import type { FieldFilter, Fixtures } from "../contract/profile-facts.js";
import type { Ledger } from "../target/index.js";
import { UserError } from "../util/exit-codes.js";
import { packageRoot } from "../util/package-root.js";
import type { Random } from "../util/random.js";
import type { LoadModel } from "./results.js";

/** One request of a scenario, ready to send: path and query as they go on the wire. */
export interface PlannedRequest {
  operationId?: OperationId;
  method: string;
  /** Path and query, from the target's base path on. */
  path: string;
  /** A JSON body, serialized. */
  body?: string;
  /** Groups requests in the report, e.g. `page 1000` for the page-depth curve. */
  label?: string;
}

/** Where a scenario's requests come from, for one run. */
export interface RequestSource {
  /** The next request; called for every request the runner sends. */
  next(): PlannedRequest;
  /** Every answer (status 0: no answer), for scenarios whose next request depends on it. */
  onAnswer?(request: PlannedRequest, status: number, body: string | undefined): void;
  /** Scenarios that write: the answers must carry their bodies. */
  needsBodies?: boolean;
}

/** What the target holds, read before the run so that queries hit real data. */
export interface SeenOnTarget {
  /** Up to a few hundred tickets of every status, removed chats included. */
  tickets: TicketDetails[];
  /** Per id filter, the ids those tickets carry. */
  ids: Record<FieldFilter, string[]>;
  /** Words of real summaries, for `search`. */
  searchTerms: string[];
}

export interface ScenarioContext {
  /** Seeded: same seed, same requests. */
  random: Random;
  faker: Faker;
  fixtures: Fixtures;
  seen: SeenOnTarget;
  /** The target's client, for a scenario that reads more before it starts (the page depth). */
  client: TicketsClient;
  /** Where a scenario that writes enters what it creates, so that cleanup finds it. */
  ledger: Ledger;
  /** A request for an operation, from the client's route table. */
  request(
    operationId: OperationId,
    pathParams: Record<string, string>,
    rest?: { query?: Record<string, unknown>; body?: unknown; label?: string },
  ): PlannedRequest;
}

export interface Scenario {
  name: string;
  /** One line: what it measures. */
  description: string;
  model: LoadModel;
  warmupSeconds: number;
  durationSeconds: number;
  /** k6-style thresholds, e.g. `p99<50ms`, `errors=0`. */
  thresholds: string[];
  /** It writes (creates tickets on fixture chats): the run then needs write fixtures. */
  writes?: boolean;
  requests(context: ScenarioContext): RequestSource | Promise<RequestSource>;
}

/** A scenario as a file writes it: the open model's in-flight cap may be left out. */
export type ScenarioDefinition = Omit<Scenario, "model" | "thresholds"> & {
  model:
    | { kind: "closed"; connections: number }
    | { kind: "open"; rate: number; maxInFlight?: number };
  thresholds?: string[];
};

/** For typing a scenario file; returns its argument. */
export function defineScenario(definition: ScenarioDefinition): ScenarioDefinition {
  return definition;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/** The shape every scenario must have, each broken field named. */
export function checkScenario(value: unknown, where: string): Scenario {
  const problem = (field: string, expected: string) =>
    new UserError(`scenario ${where}: "${field}" must be ${expected}`);
  if (value === null || typeof value !== "object") throw problem("(default export)", "an object");
  const scenario = value as Record<string, unknown>;
  if (typeof scenario.name !== "string" || !NAME.test(scenario.name))
    throw problem("name", "lower-case letters, digits and hyphens");
  if (typeof scenario.description !== "string" || scenario.description.trim() === "")
    throw problem("description", "one line of text");
  const model = scenario.model as Record<string, unknown> | undefined;
  if (!model || (model.kind !== "closed" && model.kind !== "open"))
    throw problem("model.kind", '"closed" or "open"');
  if (model.kind === "closed" && !isInteger(model.connections, 1, 10_000))
    throw problem("model.connections", "an integer from 1 to 10000");
  if (model.kind === "open" && !isNumber(model.rate, 0.1, 1_000_000))
    throw problem("model.rate", "a number of requests per second from 0.1 to 1000000");
  if (
    model.kind === "open" &&
    model.maxInFlight !== undefined &&
    !isInteger(model.maxInFlight, 1, 100_000)
  )
    throw problem("model.maxInFlight", "an integer from 1 to 100000");
  if (!isNumber(scenario.warmupSeconds, 0, 3_600))
    throw problem("warmupSeconds", "seconds from 0 to 3600");
  if (!isNumber(scenario.durationSeconds, 0.1, 86_400))
    throw problem("durationSeconds", "seconds from 0.1 to 86400");
  const thresholds = scenario.thresholds ?? [];
  if (!Array.isArray(thresholds) || thresholds.some((item) => typeof item !== "string"))
    throw problem("thresholds", 'a list of texts like "p99<50ms"');
  if (scenario.writes !== undefined && typeof scenario.writes !== "boolean")
    throw problem("writes", "true or false");
  if (typeof scenario.requests !== "function")
    throw problem("requests", "a function (context) => { next() }");
  return {
    ...(scenario as unknown as Scenario),
    model:
      model.kind === "open"
        ? {
            kind: "open",
            rate: model.rate as number,
            maxInFlight: (model.maxInFlight as number) ?? defaultInFlight(model.rate as number),
          }
        : { kind: "closed", connections: model.connections as number },
    thresholds: thresholds as string[],
  };
}

/** Enough requests in flight for a second of answers at the rate, within sane bounds. */
export function defaultInFlight(rate: number): number {
  return Math.min(1_000, Math.max(10, Math.ceil(rate)));
}

function isNumber(value: unknown, min: number, max: number): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && isNumber(value, min, max);
}

/** The folder of the built-in scenarios, as built (dist/scenarios). */
function builtInScenarioDir(): string {
  return join(packageRoot(), "dist", "scenarios");
}

export function builtInScenarioNames(): string[] {
  const dir = builtInScenarioDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".js"))
    .map((file) => basename(file, ".js"))
    .sort();
}

/** A scenario by built-in name, or a file by path (.js or .mjs exporting it as default). */
export async function loadScenario(nameOrPath: string, cwd = process.cwd()): Promise<Scenario> {
  const builtIn = NAME.test(nameOrPath)
    ? join(builtInScenarioDir(), `${nameOrPath}.js`)
    : undefined;
  const path = builtIn && existsSync(builtIn) ? builtIn : resolve(cwd, nameOrPath);
  if (!existsSync(path)) {
    const known = builtInScenarioNames().join(", ");
    throw new UserError(
      `unknown scenario "${nameOrPath}": not a built-in one (${known}) nor a file`,
    );
  }
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new UserError(
      `scenario ${path}: cannot load it (${(error as Error).message.split("\n")[0]})`,
    );
  }
  return checkScenario(module.default, path);
}
