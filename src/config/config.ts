/**
 * The run's configuration: `tickets-harness.config.json` (validated against the published
 * `tickets-harness.config.schema.json`), then the environment, then the command line.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import type { FixtureIds } from "../contract/profile-facts.js";
import { UserError } from "../util/exit-codes.js";
import { packageRoot } from "../util/package-root.js";

const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

export const CONFIG_FILE = "tickets-harness.config.json";
export const CONFIG_SCHEMA_FILE = "tickets-harness.config.schema.json";

export interface ProfileOverrides {
  enums?: Record<string, string[]>;
  acceptedStatuses?: Record<string, number[]>;
  rules?: Record<string, boolean>;
}

/** The `bench` section: the load scenarios' settings. */
export interface BenchConfig {
  thresholds?: string[];
  scenarios?: string[];
  validateSample?: number;
  embeddedTickets?: number;
}

export interface HarnessConfig {
  baseUrl?: string;
  apiKeyEnv: string;
  authScheme: "raw" | "bearer";
  fixtures: FixtureIds;
  profile: ProfileOverrides;
  skip: string[];
  only: string[];
  timeoutMs: number;
  rate: number;
  budgetSeconds: number;
  /** The longest single wait a target may ask for (Retry-After); longer asks are cut to this. */
  maxWaitSeconds: number;
  readOnly: boolean;
  runs: number;
  seed?: number;
  reportDir: string;
  bench: BenchConfig;
  /** The file the settings came from, if any. */
  source?: string;
}

export const DEFAULT_CONFIG: HarnessConfig = {
  apiKeyEnv: "TICKETS_API_KEY",
  authScheme: "raw",
  fixtures: {},
  profile: {},
  skip: [],
  only: [],
  timeoutMs: 10_000,
  rate: 0,
  budgetSeconds: 600,
  maxWaitSeconds: 30,
  readOnly: false,
  runs: 25,
  reportDir: "reports",
  bench: {},
};

let validateConfig: ReturnType<Ajv2020["compile"]> | undefined;

function configValidator() {
  if (!validateConfig) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(join(packageRoot(), CONFIG_SCHEMA_FILE), "utf8"));
    validateConfig = ajv.compile(schema);
  }
  return validateConfig;
}

/**
 * Reads the config file: the one given, else `tickets-harness.config.json` in the working
 * folder if there is one, else the defaults. Every problem is one clear line (exit 2).
 */
export function loadConfig(file?: string, cwd = process.cwd()): HarnessConfig {
  const path = file ? resolve(cwd, file) : resolve(cwd, CONFIG_FILE);
  if (!existsSync(path)) {
    if (file) throw new UserError(`config file ${path}: no such file`);
    return { ...DEFAULT_CONFIG };
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UserError(`config file ${path}: cannot read it (${(error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`config file ${path}: not valid JSON (${(error as Error).message})`);
  }
  checkConfig(raw, path);
  return { ...DEFAULT_CONFIG, ...(raw as Partial<HarnessConfig>), source: path };
}

export function checkConfig(raw: unknown, where: string): void {
  const validate = configValidator();
  if (validate(raw)) return;
  // A bad property name gives two errors: the name's own (which names it) and a vague
  // "property name must be valid"; keep the first.
  const errors = (validate.errors ?? []).filter((error) => error.keyword !== "propertyNames");
  const problems = errors.map((error) => {
    const at = error.instancePath || "(top level)";
    if (error.propertyName !== undefined && error.keyword === "enum") {
      return `${at}: "${error.propertyName}" is not one of ${(error.params.allowedValues as unknown[]).join(", ")}`;
    }
    if (error.keyword === "additionalProperties") {
      const name = String(error.params.additionalProperty);
      if (/key|secret|token|password/i.test(name)) {
        return `${at}: "${name}" is not a setting: the API key never goes in a file; name its environment variable in "apiKeyEnv"`;
      }
      return `${at}: unknown setting "${name}"`;
    }
    if (error.keyword === "enum")
      return `${at}: must be one of ${(error.params.allowedValues as unknown[]).join(", ")}`;
    return `${at}: ${error.message}`;
  });
  throw new UserError(`config file ${where}: ${problems.join("; ")} (see ${CONFIG_SCHEMA_FILE})`);
}
