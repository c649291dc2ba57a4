/**
 * The vitest entry, `tickets-api-harness/vitest`: a composition root like cli/. One call in
 * a team's own test file registers the conformance suite, one test per check, with the
 * verdicts of `tickets-harness check` (the same code path: runConformance):
 *
 *   // test/tickets-api.conformance.test.ts
 *   import { describeConformance } from "tickets-api-harness/vitest";
 *   describeConformance();
 *
 *   TICKETS_BASE_URL=https://staging.example.com npx vitest run test/tickets-api.conformance.test.ts
 *
 * vitest is an optional peer dependency: only this entry imports it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runConformance } from "../checks/conformance.js";
import { allChecks } from "../checks/registry.js";
import type { RunReport } from "../checks/results.js";
import { loadConfig } from "../config/config.js";
import { startEmbeddedServer } from "../reference/index.js";
import { writeReports } from "../report/write-reports.js";
import { chooseBaseUrl } from "../target/index.js";

export const CONFIG_ENV = "TICKETS_HARNESS_CONFIG";
export const SEED_ENV = "TICKETS_HARNESS_SEED";

export interface DescribeConformanceOptions {
  /** The config file. Default: `$TICKETS_HARNESS_CONFIG`, else `./tickets-harness.config.json` if there is one. */
  config?: string;
  /** The target, as `--base-url`. Default: `$TICKETS_BASE_URL`, else the config's, else the embedded reference server. */
  baseUrl?: string;
  /** The fixtures file, as `--fixtures`. Default: the config's, else the target's `GET /__fixtures`, else discovery. */
  fixtures?: string;
  /** The run's seed, as `--seed`. Default: `$TICKETS_HARNESS_SEED`, else the config's, else a random one. */
  seed?: number;
  /** Also write the CLI's reports here (results.json, junit.xml, summary.md, report.html). */
  reportDir?: string;
  /** The name of the describe block. Default: "Tickets API conformance". */
  name?: string;
  /** How long the run may take before vitest gives up on it. Default: the config's time budget plus a minute. */
  timeoutMs?: number;
}

/**
 * Registers, in a describe block, a beforeAll that runs the whole suite once, a test that
 * it completed, and one test per check that fails with the check's findings (each with
 * its curl command and, for a property, the replay command). Returns the run's record,
 * for assertions of a team's own, once the beforeAll has run.
 */
export function describeConformance(options: DescribeConformanceOptions = {}): () => RunReport {
  // Read now, not in the hook: a bad config fails the file at once, and the budget bounds the hook.
  const config = loadConfig(options.config ?? (process.env[CONFIG_ENV] || undefined));
  const seed = options.seed ?? seedFromEnv();
  const timeoutMs = options.timeoutMs ?? (config.budgetSeconds + 60) * 1000;
  let report: RunReport | undefined;
  const ran = (): RunReport => {
    if (!report) throw new Error("describeConformance: the run has not happened yet");
    return report;
  };

  describe(options.name ?? "Tickets API conformance", () => {
    beforeAll(async () => {
      const baseUrl = chooseBaseUrl(options.baseUrl, config.baseUrl);
      report = await runConformance({
        config,
        ...(baseUrl ? { baseUrl } : {}),
        embedded: () => startEmbeddedServer({ apiKeyEnv: config.apiKeyEnv }),
        ...(options.fixtures ? { fixturesFile: options.fixtures } : {}),
        ...(seed !== undefined ? { seed } : {}),
      });
      if (options.reportDir) writeReports(report, options.reportDir);
    }, timeoutMs);

    it("completes", () => {
      expect(ran().incomplete, ran().incomplete).toBeUndefined();
    });

    it.each(allChecks().map((check) => [check.id, check.title]))("%s: %s", (id) => {
      const run = ran();
      const check = run.checks.find((candidate) => candidate.id === id);
      expect(check, `no result for ${id}`).toBeDefined();
      const failures = (check?.failures ?? []).map((finding) =>
        [finding.message, finding.exchange?.curl, finding.counterexample?.replay]
          .filter(Boolean)
          .join("\n  "),
      );
      expect(
        failures,
        `${check?.rule} (${check?.source}: ${check?.section}); seed ${run.seed}`,
      ).toEqual([]);
    });
  });
  return ran;
}

function seedFromEnv(): number | undefined {
  const text = process.env[SEED_ENV];
  if (!text) return undefined;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) {
    throw new Error(`${SEED_ENV} must be an integer from 0 to ${2 ** 31 - 1}, got "${text}"`);
  }
  return seed;
}
