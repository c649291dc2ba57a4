/**
 * `tickets-harness check` and `vitest run --project conformance` give the same verdicts
 * against the same target: they share one code path (runConformance).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliChild, ROOT, runCli, startCli } from "../support/cli.js";

const LISTENING = /listening on (\S+)/;
let server: CliChild;
let baseUrl: string;
const work = mkdtempSync(join(tmpdir(), "parity-"));

beforeAll(async () => {
  server = startCli(
    [
      "serve",
      "--port",
      "0",
      "--tickets",
      "2000",
      "--fault",
      "oldest-first",
      "--fault",
      "owner-email-missing",
    ],
    { env: { TICKETS_API_KEY: "parity-key" } },
  );
  baseUrl = LISTENING.exec(await server.line(LISTENING, 20_000))?.[1] ?? "";
});

afterAll(() => {
  server.signal();
  rmSync(work, { recursive: true, force: true });
});

describe("one code path", () => {
  it("the CLI and the vitest project fail the same checks", () => {
    const env = {
      TICKETS_API_KEY: "parity-key",
      TICKETS_BASE_URL: baseUrl,
      TICKETS_HARNESS_SEED: "3",
    };
    const cli = runCli(["check", "--seed", "3", "--report-dir", join(work, "cli")], env);
    expect(cli.code).toBe(1);
    const results = JSON.parse(readFileSync(join(work, "cli", "results.json"), "utf8"));
    const cliFailing = results.checks
      .filter((check: { verdict: string }) => check.verdict === "fail")
      .map((check: { id: string }) => check.id);

    const vitestOut = join(work, "vitest.json");
    const vitest = spawnSync(
      process.execPath,
      [
        join(ROOT, "node_modules/vitest/vitest.mjs"),
        "run",
        "--project",
        "conformance",
        "--reporter=json",
        `--outputFile=${vitestOut}`,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(vitest.status).toBe(1);
    const json = JSON.parse(readFileSync(vitestOut, "utf8"));
    const vitestFailing = json.testResults
      .flatMap(
        (file: { assertionResults: { title: string; status: string }[] }) => file.assertionResults,
      )
      .filter((test: { status: string }) => test.status === "failed")
      .map((test: { title: string }) => test.title.split(":")[0]);
    expect(cliFailing).toContain("list_order");
    expect(cliFailing).toContain("details_consistency");
    expect(vitestFailing.sort()).toEqual(cliFailing.sort());
  }, 180_000);
});
