/**
 * deploy/github/bench-shards.yml, the example workflow (kept out of .github/workflows/: it
 * is not a workflow of this repository): valid against GitHub's workflow schema
 * (SchemaStore's github-workflow.json, vendored beside this file:
 * https://github.com/SchemaStore/schemastore/blob/3b6446ad8a077bac56f4a4796c0b7fd88927fc8e/src/schemas/json/github-workflow.json,
 * published as https://json.schemastore.org/github-workflow.json, Apache-2.0), a matrix of N
 * shards each uploading its report, and a merge job that gates. Its scripts run in bash as a
 * runner runs them (`bash --noprofile --norc -eo pipefail`), `${{ matrix.shard }}` put in,
 * with npx replaced by a recorder.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { startAtOf } from "../../src/cli/bench-split.js";
import { ROOT } from "../support/cli.js";
import {
  type CliCall,
  cliCall,
  readDocuments,
  runRecorded,
  scratch,
  unknownOptions,
  valuesOf,
} from "./support.js";

const FILE = join(ROOT, "deploy", "github", "bench-shards.yml");
const schema = JSON.parse(
  readFileSync(join(ROOT, "test", "deploy", "github-workflow.schema.json"), "utf8"),
);
// strict: false: SchemaStore's schema as published, not written for ajv's strict mode.
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const errorsOf = (value: unknown) =>
  validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

interface Step {
  id?: string;
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  "runs-on": string;
  "timeout-minutes"?: number;
  outputs?: Record<string, string>;
  strategy?: { "fail-fast"?: boolean; matrix: { shard: number[] } };
  steps: Step[];
}
interface Workflow {
  env: Record<string, string>;
  defaults: { run: { shell: string } };
  jobs: Record<string, Job>;
}

const documents = readDocuments(FILE);
const workflow = documents[0] as Workflow;
const bench = workflow.jobs.bench as Job;
const merge = workflow.jobs.merge as Job;
const SHARDS = bench.strategy?.matrix.shard ?? [];
const N = SHARDS.length;

const gh = (expression: string) => `\${{ ${expression} }}`;
/** A step's script with `${{ matrix.shard }}` put in; any other expression in it throws. */
function scriptOf(step: Step, shard?: number): string {
  const script = (step.run ?? "").replaceAll(gh("matrix.shard"), String(shard));
  const left = script.match(/\$\{\{.*?\}\}/);
  if (left) throw new Error(`an expression in a script: ${left[0]}`);
  return script;
}
/** A `with:` value with `${{ matrix.shard }}` put in. */
const withShard = (value: unknown, shard: number) =>
  String(value).replaceAll(gh("matrix.shard"), String(shard));
const only = (job: Job, test: (step: Step) => boolean): Step => {
  const found = job.steps.filter(test);
  expect(found).toHaveLength(1);
  return found[0] as Step;
};
const benchStep = only(bench, (step) => step.run?.includes("tickets-harness bench") ?? false);
const benchUpload = only(
  bench,
  (step) => step.uses?.startsWith("actions/upload-artifact") ?? false,
);
const download = only(merge, (step) => step.uses?.startsWith("actions/download-artifact") ?? false);
const mergeStep = only(
  merge,
  (step) => step.run?.includes("tickets-harness report merge") ?? false,
);
const summaryStep = only(merge, (step) => step.run?.includes("GITHUB_STEP_SUMMARY") ?? false);
const mergedUpload = only(
  merge,
  (step) => step.uses?.startsWith("actions/upload-artifact") ?? false,
);

/** A step's script run in bash as a runner would, in `cwd`, npx a recorder exiting `exitCode`. */
function runStep(
  step: Step,
  cwd: string,
  options: { shard?: number; exitCode?: number; env?: Record<string, string> } = {},
) {
  expect(workflow.defaults.run.shell).toBe("bash");
  const env: Record<string, string> = { ...workflow.env, ...options.env };
  for (const [name, value] of Object.entries(step.env ?? {})) {
    env[name] = value.startsWith("${{ secrets.") ? "a-secret-from-github" : value;
  }
  return runRecorded(
    "bash",
    ["--noprofile", "--norc", "-eo", "pipefail", "-c", scriptOf(step, options.shard)],
    {
      programs: ["npx"],
      cwd,
      env,
      exitCode: options.exitCode ?? 0,
    },
  );
}

function runShard(shard: number, exitCode = 0) {
  const { dir, dispose } = scratch("gh-shard");
  try {
    const result = runStep(benchStep, dir, { shard, exitCode });
    expect(result.calls).toHaveLength(1);
    return { call: cliCall(result.calls[0] as string[]), code: result.code };
  } finally {
    dispose();
  }
}

/** The artifact names the shards upload. */
const artifactNames = SHARDS.map((shard) => withShard(benchUpload.with?.name, shard));

/** The merge step in a folder holding what download-artifact leaves: path/NAME per artifact. */
function runMerge(exitCode = 0) {
  const { dir, dispose } = scratch("gh-merge");
  try {
    for (const name of artifactNames)
      mkdirSync(join(dir, String(download.with?.path), name), { recursive: true });
    const result = runStep(mergeStep, dir, { exitCode });
    expect(result.calls).toHaveLength(1);
    return { call: cliCall(result.calls[0] as string[]), code: result.code };
  } finally {
    dispose();
  }
}

describe("deploy/github/bench-shards.yml", () => {
  it("is one YAML document, valid against GitHub's workflow schema, and not a workflow of this repository", () => {
    expect(documents).toHaveLength(1);
    expect(errorsOf(workflow)).toEqual([]);
    expect(existsSync(join(ROOT, ".github", "workflows", "bench-shards.yml"))).toBe(false);
  });

  it("the schema does reject a broken workflow (the validation is not vacuous)", () => {
    const broken = structuredClone(workflow) as unknown as {
      jobs: Record<string, Record<string, unknown>>;
    };
    expect(
      errorsOf({ ...broken, jobs: { ...broken.jobs, merge: { ...broken.jobs.merge, needs: 4 } } }),
    ).not.toEqual([]);
    expect(
      errorsOf({
        ...broken,
        jobs: { ...broken.jobs, bench: { ...broken.jobs.bench, timout: 20 } },
      }),
    ).not.toEqual([]);
    const { "runs-on": _, ...noRunner } = broken.jobs.bench as Record<string, unknown>;
    expect(errorsOf({ ...broken, jobs: { ...broken.jobs, bench: noRunner } })).not.toEqual([]);
  });

  it("the matrix is shards 1..N, and each runs bench --shard I/N into a folder of its own", () => {
    expect(N).toBeGreaterThan(1);
    expect(SHARDS).toEqual(Array.from({ length: N }, (_, index) => index + 1));
    expect(bench.strategy?.["fail-fast"]).toBe(false);
    const reportDirs = SHARDS.map((shard) => {
      const { call } = runShard(shard);
      expect(call.command).toBe("bench");
      expect(valuesOf(call.argv, "--shard")).toEqual([`${shard}/${N}`]);
      expect(valuesOf(call.argv, "--base-url")).toEqual([workflow.env.TICKETS_BASE_URL]);
      // Every shard waits for the one start time the plan job chose.
      expect(valuesOf(call.argv, "--start-at")).toEqual([gh("needs.plan.outputs.start-at")]);
      return valuesOf(call.argv, "--report-dir")[0];
    });
    expect(new Set(reportDirs).size).toBe(N);
    expect([bench.needs].flat()).toEqual(["plan"]);
    const plan = workflow.jobs.plan as Job;
    expect(plan.outputs?.["start-at"]).toBe(gh("steps.start.outputs.start-at"));
  });

  it("the plan job's start time is a few minutes ahead, in the form --start-at takes", () => {
    const plan = workflow.jobs.plan as Job;
    const { dir, dispose } = scratch("gh-plan");
    try {
      const output = join(dir, "output");
      execFileSync(
        "bash",
        ["--noprofile", "--norc", "-eo", "pipefail", "-c", scriptOf(plan.steps[0] as Step)],
        {
          env: { ...process.env, GITHUB_OUTPUT: output },
        },
      );
      const startAt = /^start-at=(.*)$/m.exec(readFileSync(output, "utf8"))?.[1] ?? "";
      const ahead = startAtOf(startAt) - Date.now();
      expect(ahead).toBeGreaterThan(3 * 60_000);
      expect(ahead).toBeLessThan(5 * 60_000);
    } finally {
      dispose();
    }
  });

  it("a shard fails when it measured nothing (2, 3), not when a threshold broke on its part (1)", () => {
    expect([0, 1, 2, 3].map((code) => runShard(1, code).code)).toEqual([0, 0, 2, 3]);
  });

  it("every shard uploads its report folder, under a name of its own, whatever happened", () => {
    expect(benchUpload.if).toBe("always()");
    expect(benchUpload.uses).toBe("actions/upload-artifact@v4");
    expect(new Set(artifactNames).size).toBe(N);
    for (const shard of SHARDS) {
      const { call } = runShard(shard);
      expect(withShard(benchUpload.with?.path, shard)).toBe(valuesOf(call.argv, "--report-dir")[0]);
    }
  });

  it("the key comes from the repository's secrets, in the bench step's env only", () => {
    expect(benchStep.env?.TICKETS_API_KEY).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
    const text = readFileSync(FILE, "utf8");
    expect(text.match(/\bTICKETS_API_KEY\b/g)).toHaveLength(1);
    expect(merge.steps.some((step) => step.env?.TICKETS_API_KEY !== undefined)).toBe(false);
  });

  it("the merge job needs the shards, runs even when one failed, and downloads every shard apart", () => {
    expect([merge.needs].flat()).toEqual(["bench"]);
    expect(merge.if).toBe("always()");
    expect(download.uses).toBe("actions/download-artifact@v4");
    expect(download.with?.["merge-multiple"]).toBe(false);
    const pattern = new RegExp(
      `^${String(download.with?.pattern).split("*").map(literal).join(".*")}$`,
    );
    expect(artifactNames.filter((name) => !pattern.test(name))).toEqual([]);
    expect(pattern.test(String(mergedUpload.with?.name))).toBe(false);
  });

  it("merges exactly the downloaded shards, and its exit code fails the job", () => {
    const { call } = runMerge();
    expect(call.command).toBe("report merge");
    const firstOption = call.argv.findIndex((arg) => arg.startsWith("--"));
    expect(call.argv.slice(2, firstOption)).toEqual(
      artifactNames.map((name) => `${download.with?.path}/${name}`),
    );
    expect(valuesOf(call.argv, "--threshold")).toContain("p99<200ms");
    expect(valuesOf(call.argv, "--report-dir")).toEqual([mergedUpload.with?.path]);
    expect([0, 1, 2, 3].map((code) => runMerge(code).code)).toEqual([0, 1, 2, 3]);
  });

  it("appends the merged summary.md to the step summary whatever happened, and uploads the merged report", () => {
    expect(summaryStep.if).toBe("always()");
    expect(mergedUpload.if).toBe("always()");
    expect(mergedUpload.uses).toBe("actions/upload-artifact@v4");
    const reportDir = valuesOf(runMerge().call.argv, "--report-dir")[0] as string;
    const { dir, dispose } = scratch("gh-summary");
    try {
      const summary = join(dir, "step-summary.md");
      writeFileSync(summary, "earlier\n");
      expect(runStep(summaryStep, dir, { env: { GITHUB_STEP_SUMMARY: summary } }).code).toBe(0);
      expect(readFileSync(summary, "utf8")).toMatch(/^earlier\nNo merged report/);
      mkdirSync(join(dir, reportDir), { recursive: true });
      writeFileSync(join(dir, reportDir, "summary.md"), "## pass\n");
      writeFileSync(summary, "");
      expect(runStep(summaryStep, dir, { env: { GITHUB_STEP_SUMMARY: summary } }).code).toBe(0);
      expect(readFileSync(summary, "utf8")).toBe("## pass\n");
    } finally {
      dispose();
    }
  });

  it("every job is bounded in time", () => {
    for (const [id, job] of Object.entries(workflow.jobs)) {
      expect(job["timeout-minutes"], id).toBeGreaterThan(0);
      expect(job["timeout-minutes"], id).toBeLessThanOrEqual(30);
    }
  });

  it("every call of the CLI passes only options its --help lists", () => {
    const calls: CliCall[] = [runShard(1).call, runMerge().call];
    const { unknown, pending } = unknownOptions(calls);
    expect(unknown).toEqual([]);
    if (pending.length > 0)
      console.warn(`not in the CLI yet, checked by name: ${pending.join(", ")}`);
  });
});

/** A literal piece of a glob, for a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
