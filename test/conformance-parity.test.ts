/**
 * `tickets-harness check` and `vitest run --project conformance` give the same verdicts
 * against the same target: they share one code path (runConformance).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "./support/cli.js";

let server: ChildProcess;
let baseUrl: string;
const work = mkdtempSync(join(tmpdir(), "parity-"));

beforeAll(async () => {
  server = spawn(
    process.execPath,
    [
      join(ROOT, "dist/src/cli/main.js"),
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
    {
      env: { ...process.env, TICKETS_API_KEY: "parity-key" },
    },
  );
  baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("serve did not start")), 20_000);
    server.stdout?.on("data", (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
});

afterAll(() => {
  server.kill();
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
