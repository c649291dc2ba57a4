/**
 * The run's configuration: `loadConfig` (which file, the defaults, every problem one clear
 * UserError with exit 2) and `checkConfig` (every setting validated against the published
 * schema, messages that name the setting), and the published schema itself.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { allChecks } from "../../src/checks/registry.js";
import {
  CONFIG_FILE,
  CONFIG_SCHEMA_FILE,
  checkConfig,
  DEFAULT_CONFIG,
  type HarnessConfig,
  loadConfig,
} from "../../src/config/config.js";
import { ExitCode, UserError } from "../../src/util/exit-codes.js";
import { ROOT } from "../support/cli.js";

const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;
const SCHEMA = JSON.parse(readFileSync(join(ROOT, CONFIG_SCHEMA_FILE), "utf8")) as {
  properties: Record<string, { default?: unknown }>;
};

/** Every setting, as a user would write it for a real vendor. */
const FULL_EXAMPLE = {
  $schema: "./node_modules/tickets-api-harness/tickets-harness.config.schema.json",
  baseUrl: "https://staging.tickets.example.com",
  apiKeyEnv: "STAGING_TICKETS_KEY",
  authScheme: "bearer",
  fixtures: {
    chatIds: ["4f7c1a52-8f0e-4b7d-9a51-2c3d4e5f6a7b", "5a8d2b63-9a1f-4c8e-8b62-3d4e5f6a7b8c"],
    userIds: ["6b9e3c74-0b2a-4d9f-9c73-4e5f6a7b8c9d"],
    tagIds: ["7caf4d85-1c3b-4ea0-8d84-5f6a7b8c9d0e"],
    ticketingTeamIds: ["8db05e96-2d4c-4fb1-9e95-6a7b8c9d0e1f"],
  },
  profile: {
    enums: { status: ["open", "in_progress", "closed"], channelType: ["web", "email"] },
    acceptedStatuses: { "400": [400, 422] },
    rules: { list_order: false, no_undocumented_fields: false },
  },
  skip: ["list_completeness"],
  only: [],
  timeoutMs: 5_000,
  rate: 20,
  budgetSeconds: 300,
  readOnly: true,
  runs: 50,
  seed: 42,
  reportDir: "out/conformance",
};

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const made = mkdtempSync(join(tmpdir(), "config-test-"));
  folders.push(made);
  return made;
}

/** A folder holding `tickets-harness.config.json` with `text`. */
function withConfigFile(text: string): string {
  const dir = folder();
  writeFileSync(join(dir, CONFIG_FILE), text);
  return dir;
}

/** The UserError `run` throws (it must throw one). */
function userError(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error("expected a UserError, nothing was thrown");
}

function problemWith(raw: unknown): string {
  const error = userError(() => checkConfig(raw, "the.json"));
  expect(error.exitCode).toBe(ExitCode.Usage);
  expect(error.message).not.toContain("\n");
  expect(error.message).toMatch(/^config file the\.json: /);
  expect(error.message).toMatch(/\(see tickets-harness\.config\.schema\.json\)$/);
  return error.message;
}

describe("loadConfig", () => {
  it("without a file in the folder: the defaults, no source", () => {
    const config = loadConfig(undefined, folder());
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.source).toBeUndefined();
    expect(config.baseUrl).toBeUndefined();
    expect(config.seed).toBeUndefined();
  });

  it("the defaults are the schema's defaults", () => {
    for (const [name, setting] of Object.entries(SCHEMA.properties)) {
      if (!("default" in setting)) continue;
      expect(DEFAULT_CONFIG[name as keyof HarnessConfig], name).toEqual(setting.default);
    }
    expect(DEFAULT_CONFIG).toMatchObject({
      apiKeyEnv: "TICKETS_API_KEY",
      authScheme: "raw",
      timeoutMs: 10_000,
      rate: 0,
      budgetSeconds: 600,
      readOnly: false,
      runs: 25,
      reportDir: "reports",
      skip: [],
      only: [],
    });
  });

  it("returns a copy: changing it leaves the defaults alone", () => {
    const config = loadConfig(undefined, folder());
    config.runs = 1;
    expect(DEFAULT_CONFIG.runs).toBe(25);
  });

  it(`picks up ${CONFIG_FILE} in the folder, over the defaults, and names it as the source`, () => {
    const dir = withConfigFile(JSON.stringify({ runs: 7, readOnly: true }));
    const config = loadConfig(undefined, dir);
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      runs: 7,
      readOnly: true,
      source: join(dir, CONFIG_FILE),
    });
  });

  it("a file given relative to the folder", () => {
    const dir = folder();
    mkdirSync(join(dir, "ci"));
    writeFileSync(join(dir, "ci", "staging.json"), JSON.stringify({ timeoutMs: 2_000 }));
    const config = loadConfig("ci/staging.json", dir);
    expect(config.timeoutMs).toBe(2_000);
    expect(config.source).toBe(join(dir, "ci", "staging.json"));
  });

  it("the full example: every setting taken as written", () => {
    const dir = withConfigFile(JSON.stringify(FULL_EXAMPLE));
    const config = loadConfig(undefined, dir);
    const { $schema: _, ...settings } = FULL_EXAMPLE;
    expect(config).toMatchObject(settings);
  });

  it("a file given that does not exist: exit 2, `no such file`", () => {
    const dir = folder();
    const error = userError(() => loadConfig("missing.json", dir));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toBe(`config file ${join(dir, "missing.json")}: no such file`);
  });

  it.each([
    ["not JSON", "{ runs: 3", /: not valid JSON \(/],
    ["empty", "", /: not valid JSON \(/],
    ["JSON but not an object", "[1, 2]", /\(top level\): must be object/],
    ["null", "null", /\(top level\): must be object/],
  ])("a file that is %s: exit 2, one line", (_what, text, message) => {
    const dir = withConfigFile(text);
    const error = userError(() => loadConfig(undefined, dir));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toContain(join(dir, CONFIG_FILE));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("\n");
  });

  it("a folder where the file should be: cannot read it, not `not valid JSON`", () => {
    const dir = folder();
    mkdirSync(join(dir, CONFIG_FILE));
    const error = userError(() => loadConfig(undefined, dir));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/: cannot read it \(EISDIR/);
  });
});

describe("checkConfig: each setting", () => {
  it("accepts an empty object and the full example", () => {
    expect(() => checkConfig({}, "x")).not.toThrow();
    expect(() => checkConfig(FULL_EXAMPLE, "x")).not.toThrow();
  });

  it.each([
    ["baseUrl", { baseUrl: "http://127.0.0.1:8080" }],
    ["baseUrl with a path", { baseUrl: "https://api.example.com/tickets/v2" }],
    ["apiKeyEnv", { apiKeyEnv: "_KEY_2" }],
    ["authScheme raw", { authScheme: "raw" }],
    ["fixtures, some only", { fixtures: { tagIds: ["a"] } }],
    ["profile.rules of any check id", { profile: { rules: { anything: true } } }],
    ["timeoutMs at its bounds", { timeoutMs: 100 }],
    ["timeoutMs at its bounds", { timeoutMs: 300_000 }],
    ["a fractional rate", { rate: 0.5 }],
    ["runs at its bounds", { runs: 10_000 }],
    ["seed 0", { seed: 0 }],
  ])("accepts %s", (_what, raw) => {
    expect(() => checkConfig(raw, "x")).not.toThrow();
  });

  it.each([
    ["baseUrl not http(s)", { baseUrl: "ftp://example.com" }, /\/baseUrl: must match pattern/],
    ["baseUrl not a URL", { baseUrl: "staging" }, /\/baseUrl: must match/],
    ["baseUrl not a string", { baseUrl: 8080 }, /\/baseUrl: must be string/],
    ["apiKeyEnv not a variable name", { apiKeyEnv: "MY-KEY" }, /\/apiKeyEnv: must match pattern/],
    ["apiKeyEnv empty", { apiKeyEnv: "" }, /\/apiKeyEnv: must match pattern/],
    ["authScheme unknown", { authScheme: "basic" }, /\/authScheme: must be one of raw, bearer/],
    ["fixtures not an object", { fixtures: ["a"] }, /\/fixtures: must be object/],
    [
      "fixtures ids not an array",
      { fixtures: { chatIds: "a" } },
      /\/fixtures\/chatIds: must be array/,
    ],
    [
      "fixtures id empty",
      { fixtures: { userIds: [""] } },
      /\/fixtures\/userIds\/0: must NOT have fewer than 1 characters/,
    ],
    [
      "fixtures id twice",
      { fixtures: { tagIds: ["a", "a"] } },
      /\/fixtures\/tagIds: must NOT have duplicate items/,
    ],
    [
      "fixtures id not a string",
      { fixtures: { ticketingTeamIds: [1] } },
      /\/fixtures\/ticketingTeamIds\/0: must be string/,
    ],
    [
      "fixtures unknown key",
      { fixtures: { chatIdz: ["a"] } },
      /\/fixtures: unknown setting "chatIdz"/,
    ],
    ["profile unknown key", { profile: { statuses: {} } }, /\/profile: unknown setting "statuses"/],
    [
      "profile.enums of an unknown field",
      { profile: { enums: { colour: ["red"] } } },
      /\/profile\/enums: "colour" is not one of status, circumstance/,
    ],
    [
      "profile.enums empty list",
      { profile: { enums: { status: [] } } },
      /\/profile\/enums\/status: must NOT have fewer than 1 items/,
    ],
    [
      "profile.acceptedStatuses for 500",
      { profile: { acceptedStatuses: { "500": [500] } } },
      /\/profile\/acceptedStatuses: "500" is not one of 400, 401, 404, 409/,
    ],
    [
      "profile.acceptedStatuses not 4xx",
      { profile: { acceptedStatuses: { "400": [200] } } },
      /\/profile\/acceptedStatuses\/400\/0: must be >= 400/,
    ],
    [
      "profile.rules not a boolean",
      { profile: { rules: { list_order: "off" } } },
      /\/profile\/rules\/list_order: must be boolean/,
    ],
    ["skip not an array", { skip: "list_order" }, /\/skip: must be array/],
    ["only with a number", { only: [1] }, /\/only\/0: must be string/],
    ["timeoutMs too small", { timeoutMs: 99 }, /\/timeoutMs: must be >= 100/],
    ["timeoutMs too large", { timeoutMs: 300_001 }, /\/timeoutMs: must be <= 300000/],
    ["timeoutMs fractional", { timeoutMs: 150.5 }, /\/timeoutMs: must be integer/],
    ["timeoutMs a string", { timeoutMs: "5000" }, /\/timeoutMs: must be integer/],
    ["rate negative", { rate: -1 }, /\/rate: must be >= 0/],
    ["budgetSeconds zero", { budgetSeconds: 0 }, /\/budgetSeconds: must be >= 1/],
    ["readOnly a string", { readOnly: "yes" }, /\/readOnly: must be boolean/],
    ["runs zero", { runs: 0 }, /\/runs: must be >= 1/],
    ["runs too many", { runs: 10_001 }, /\/runs: must be <= 10000/],
    ["runs fractional", { runs: 2.5 }, /\/runs: must be integer/],
    ["seed fractional", { seed: 1.5 }, /\/seed: must be integer/],
    ["reportDir not a string", { reportDir: false }, /\/reportDir: must be string/],
    ["an unknown setting", { retries: 3 }, /\(top level\): unknown setting "retries"/],
  ])("refuses %s, naming it", (_what, raw, message) => {
    expect(problemWith(raw)).toMatch(message);
  });

  it("reports every problem at once", () => {
    const message = problemWith({ runs: 0, authScheme: "basic", retries: 1 });
    expect(message).toMatch(/\/runs: /);
    expect(message).toMatch(/\/authScheme: /);
    expect(message).toMatch(/unknown setting "retries"/);
  });

  it.each([["apiKey"], ["api_key"], ["key"], ["secret"], ["token"], ["password"], ["accessToken"]])(
    "refuses %j: the API key never goes in a file, and the value is never repeated",
    (name) => {
      const value = "tk-live-in-a-config-file-77Zq";
      const message = problemWith({ [name]: value });
      expect(message).toContain(
        `"${name}" is not a setting: the API key never goes in a file; name its environment variable in "apiKeyEnv"`,
      );
      expect(message).not.toContain(value);
    },
  );

  it("a key nested where it does not belong is refused the same way", () => {
    expect(problemWith({ fixtures: { apiKey: "x" } })).toMatch(
      /\/fixtures: "apiKey" is not a setting: the API key never goes in a file/,
    );
  });

  it("never repeats a value it refuses that could be a key", () => {
    const value = "tk-live-as-a-url-Pq71";
    expect(problemWith({ baseUrl: value })).not.toContain(value);
    expect(problemWith({ authScheme: value })).not.toContain(value);
  });
});

describe("the published schema", () => {
  it("is valid JSON Schema 2020-12 and compiles under ajv strict", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    expect(ajv.validateSchema(SCHEMA), ajv.errorsText()).toBe(true);
    const validate = ajv.compile(SCHEMA);
    expect(validate(FULL_EXAMPLE), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({})).toBe(true);
    expect(validate({ apiKey: "x" })).toBe(false);
  });

  it("profile.rules takes every check id", () => {
    const rules = Object.fromEntries(allChecks().map((check) => [check.id, false]));
    expect(() => checkConfig({ profile: { rules } }, "x")).not.toThrow();
  });

  it("describes every setting of HarnessConfig and nothing else", () => {
    const settings = Object.keys(SCHEMA.properties)
      .filter((name) => name !== "$schema")
      .sort();
    const known = [...Object.keys(DEFAULT_CONFIG), "baseUrl", "seed"].sort();
    expect(settings).toEqual(known);
  });
});
