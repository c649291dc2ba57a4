/**
 * The concurrency faults break their rules only under concurrent requests: with
 * lifecycle_concurrency skipped, the whole suite passes against each of them (no check
 * that sends one request at a time sees them), while the matrix (matrix.test.ts) holds
 * lifecycle_concurrency to catching every one.
 */
import { describe, expect, it } from "vitest";
import { runConformance } from "../../src/checks/conformance.js";
import { DEFAULT_CONFIG } from "../../src/config/config.js";
import { EXPECTED_CATCHERS } from "../../src/mutation/matrix.js";
import { CONCURRENCY_FAULTS, startEmbeddedServer } from "../../src/reference/index.js";

describe("the concurrency faults", () => {
  it("are caught, by the matrix's reckoning, by lifecycle_concurrency alone", () => {
    for (const fault of CONCURRENCY_FAULTS) {
      expect(EXPECTED_CATCHERS[fault], fault).toEqual(["lifecycle_concurrency"]);
    }
  });

  for (const fault of CONCURRENCY_FAULTS) {
    it(`${fault}: no sequential check sees it (the suite without lifecycle_concurrency passes)`, async () => {
      const report = await runConformance({
        config: { ...DEFAULT_CONFIG, skip: ["lifecycle_concurrency"] },
        seed: 1,
        embedded: () =>
          startEmbeddedServer({ apiKeyEnv: DEFAULT_CONFIG.apiKeyEnv, faults: [fault] }),
      });
      const failing = report.checks
        .filter((check) => check.verdict === "fail")
        .map((check) => `${check.id}: ${check.failures[0]?.message}`);
      expect(failing).toEqual([]);
      expect(report.verdict, report.incomplete).toBe("pass");
    }, 60_000);
  }
});
