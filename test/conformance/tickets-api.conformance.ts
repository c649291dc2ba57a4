/**
 * The conformance suite under vitest, for teams that gate with it:
 *   TICKETS_BASE_URL=https://staging.example.com npx vitest run --project conformance
 * One test per check, the same verdicts as `tickets-harness check` (one code path:
 * runConformance). Without TICKETS_BASE_URL it runs against the embedded reference server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runConformance } from "../../src/checks/conformance.js";
import { allChecks } from "../../src/checks/registry.js";
import type { RunReport } from "../../src/checks/results.js";
import { loadConfig } from "../../src/config/config.js";
import { startEmbeddedServer } from "../../src/reference/index.js";
import { chooseBaseUrl } from "../../src/target/index.js";

let report: RunReport;

beforeAll(async () => {
  const config = loadConfig(process.env.TICKETS_HARNESS_CONFIG);
  const baseUrl = chooseBaseUrl(undefined, config.baseUrl);
  const seed = process.env.TICKETS_HARNESS_SEED
    ? Number(process.env.TICKETS_HARNESS_SEED)
    : undefined;
  report = await runConformance({
    config,
    ...(baseUrl ? { baseUrl } : {}),
    embedded: () => startEmbeddedServer({ apiKeyEnv: config.apiKeyEnv }),
    ...(seed !== undefined ? { seed } : {}),
  });
}, 600_000);

describe("Tickets API conformance", () => {
  it("completes", () => {
    expect(report.incomplete, report.incomplete).toBeUndefined();
  });

  it.each(allChecks().map((check) => [check.id, check.title]))("%s: %s", (id) => {
    const check = report.checks.find((candidate) => candidate.id === id);
    expect(check, `no result for ${id}`).toBeDefined();
    const failures = (check?.failures ?? []).map((finding) =>
      [finding.message, finding.exchange?.curl, finding.counterexample?.replay]
        .filter(Boolean)
        .join("\n  "),
    );
    expect(
      failures,
      `${check?.rule} (${check?.source}: ${check?.section}); seed ${report.seed}`,
    ).toEqual([]);
  });
});
