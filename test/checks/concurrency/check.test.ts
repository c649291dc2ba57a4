/**
 * lifecycle_concurrency against the embedded reference server: it passes the clean server
 * and says how many groups ran and how much they overlapped; it fails each concurrency
 * fault with the rule quoted and the group shrunk to two requests, and leaves nothing
 * behind (also the chat a race left with two open tickets); its replay tries the group
 * again and again, and says so when the race does not show, which is not a pass.
 */
import { describe, expect, it } from "vitest";
import { REPLAY_TRIES } from "../../../src/checks/active/concurrency/index.js";
import { RULES } from "../../../src/checks/active/concurrency/serial.js";
import { runConformance } from "../../../src/checks/conformance.js";
import type { CheckResult } from "../../../src/checks/model.js";
import { DEFAULT_CONFIG } from "../../../src/config/config.js";
import {
  CONCURRENCY_FAULTS,
  type FaultName,
  startEmbeddedServer,
} from "../../../src/reference/index.js";

const ID = "lifecycle_concurrency";

/** The rule of PROFILE.md each concurrency fault breaks, as the failure quotes it. */
const BROKEN: Record<string, string> = {
  "create-check-then-insert": RULES.oneOpen,
  "tag-attach-check-then-write": RULES.attachTwice,
  "completed-check-then-write": RULES.completedFinal,
  "updated-at-arrival-stamp": RULES.updatedAt,
};

async function run(options: {
  faults?: FaultName[];
  runs?: number;
  replay?: string;
  seed?: number;
}) {
  const report = await runConformance({
    config: { ...DEFAULT_CONFIG, only: [ID], runs: options.runs ?? 8 },
    seed: options.seed ?? 7,
    embedded: () =>
      startEmbeddedServer({ apiKeyEnv: DEFAULT_CONFIG.apiKeyEnv, faults: options.faults ?? [] }),
    ...(options.replay ? { replay: new Map([[ID, options.replay]]) } : {}),
  });
  const check = report.checks.find((candidate) => candidate.id === ID) as CheckResult;
  return { report, check };
}

describe("lifecycle_concurrency", () => {
  it("passes the clean server and says how many groups ran and how tight the overlap was", async () => {
    const { report, check } = await run({ runs: 10 });
    expect(check.verdict, JSON.stringify(check.failures[0] ?? check.warnings[0])).toBe("pass");
    const values = check.measured?.values ?? {};
    expect(values.groups).toBe(10);
    expect(values.tries).toBe(40);
    expect(values.overlapped).toBeGreaterThan(0);
    expect(values.races).toBe(0);
    expect(values.startSpreadMedianMs).toBeGreaterThanOrEqual(0);
    expect(check.measured?.line).toMatch(/10 group\(s\), 40 tries: \d+ overlapped at the target/);
    expect(report.leftovers).toEqual([]);
  }, 60_000);

  for (const fault of CONCURRENCY_FAULTS) {
    it(`catches ${fault}: the rule quoted, shrunk to two requests, a replay, nothing left`, async () => {
      const { report, check } = await run({ faults: [fault] });
      expect(check.verdict).toBe("fail");
      const [failure] = check.failures;
      expect(failure?.message).toMatch(/no serial order of them gives these answers/);
      expect(failure?.message).toContain(BROKEN[fault]);
      expect(failure?.exchange?.curl).toMatch(/^curl /);
      expect(failure?.actual).toMatch(/sent .* \(try \d+ of \d+\)/);
      const group = JSON.parse(failure?.counterexample?.value ?? "[]")[0];
      expect((group.ops ?? group.creates).length, failure?.counterexample?.value).toBe(2);
      expect(failure?.counterexample?.replay).toMatch(
        new RegExp(`--replay ${ID}:\\S+ --only ${ID}$`),
      );
      expect(report.leftovers).toEqual([]);
    }, 60_000);
  }

  it(`replays a race ${REPLAY_TRIES} times; on a server without it: not reproduced, a warning, not a pass`, async () => {
    const caught = await run({ faults: ["create-check-then-insert"] });
    const counterexample = caught.check.failures[0]?.counterexample;
    expect(counterexample).toBeDefined();
    const replay = { seed: counterexample?.seed as number, replay: counterexample?.path as string };

    const again = await run({ faults: ["create-check-then-insert"], ...replay });
    expect(again.check.verdict).toBe("fail");

    const clean = await run(replay);
    expect(clean.check.verdict).toBe("warn");
    expect(clean.check.failures).toEqual([]);
    expect(clean.check.measured?.values.tries).toBe(REPLAY_TRIES);
    expect(clean.check.warnings.map((warning) => warning.message).join("\n")).toMatch(
      new RegExp(`replay not reproduced: .* tried ${REPLAY_TRIES} times .* this is not a pass`),
    );
    expect(clean.report.verdict).not.toBe("fail");
    expect(clean.report.leftovers).toEqual([]);
  }, 90_000);
});
