/**
 * deploy/k8s/: the bench as an Indexed Job of N shards on a shared volume, then a merge Job
 * whose exit code is the gate. Every object is valid against the Kubernetes schemas
 * (kubernetes-models) and has no field the API does not know; the Jobs' scripts are run by
 * a real shell, with the CLI replaced by a recorder, for each completion index: what is
 * checked is the argv the pods would run.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEV_API_KEY } from "../../src/reference/server.js";
import { ROOT } from "../support/cli.js";
import { type KubeObject, shapeErrors, validateObject } from "./kubernetes.js";
import {
  type CliCall,
  cliCall,
  readDocuments,
  runRecorded,
  scratch,
  unknownOptions,
  valuesOf,
} from "./support.js";

const DIR = join(ROOT, "deploy", "k8s");
const FILES = readdirSync(DIR)
  .filter((name) => name.endsWith(".yaml"))
  .sort();
const OBJECTS = FILES.flatMap((name) => readDocuments(join(DIR, name)) as KubeObject[]);
const named = (kind: string, name: string): KubeObject => {
  const found = OBJECTS.find((object) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in deploy/k8s/`);
  return found;
};
const BENCH = named("Job", "tickets-bench");
const MERGE = named("Job", "tickets-bench-merge");
const README = readFileSync(join(DIR, "README.md"), "utf8");

// biome-ignore lint/suspicious/noExplicitAny: manifests read from YAML
type Loose = any;
const podSpecOf = (object: KubeObject): Loose =>
  object.kind === "Pod" ? object.spec : object.spec.template.spec;
const containersOf = (object: KubeObject): Loose[] => podSpecOf(object).containers;

/** The only container of a Job's pods, its script, and where the results volume is mounted. */
function scriptOf(job: KubeObject): { command: string[]; script: string; results: string } {
  const [container, ...others] = containersOf(job);
  expect(others).toEqual([]);
  expect(container.command).toEqual(["/bin/sh", "-c"]);
  expect(container.args).toHaveLength(1);
  const mount = container.volumeMounts.find((each: Loose) => each.name === "results");
  return { command: container.command, script: container.args[0], results: mount.mountPath };
}

/** A Job's script run by /bin/sh, the results volume at `dir`, the CLI a recorder. */
function runJob(job: KubeObject, dir: string, env: Record<string, string>, exitCode = 0) {
  const { command, script, results } = scriptOf(job);
  return runRecorded(command[0] as string, [...command.slice(1), script.replaceAll(results, dir)], {
    programs: ["tickets-harness"],
    cwd: dir,
    env,
    exitCode,
  });
}

/** N, from completions (the tests below check that it is also parallelism and --shard's). */
const N: number = BENCH.spec.completions;
const BASE_URL = "https://tickets.test.invalid";

/** Shard index I (1..N)'s call of the CLI, and what its pod exits with, given the CLI's code. */
function runShard(index: number, exitCode = 0, env: Record<string, string> = {}) {
  const { dir, dispose } = scratch("shard");
  try {
    const result = runJob(
      BENCH,
      dir,
      { JOB_COMPLETION_INDEX: String(index - 1), TICKETS_BASE_URL: BASE_URL, ...env },
      exitCode,
    );
    expect(result.stderr).toBe("");
    expect(result.calls).toHaveLength(1);
    return { dir, call: cliCall(result.calls[0] as string[]), code: result.code };
  } finally {
    dispose();
  }
}

/** The merge Job's call with every shard's folder present, and its pod's exit code. */
function runMerge(exitCode = 0) {
  const { dir, dispose } = scratch("merge");
  try {
    for (let index = 1; index <= N; index++) mkdirSync(join(dir, `shard-${index}`));
    const result = runJob(MERGE, dir, {}, exitCode);
    expect(result.calls).toHaveLength(1);
    return { dir, call: cliCall(result.calls[0] as string[]), code: result.code };
  } finally {
    dispose();
  }
}

describe("deploy/k8s/", () => {
  it("holds the four files, each of valid YAML documents (no duplicate key)", () => {
    expect(FILES).toEqual([
      "bench-job.yaml",
      "merge-job.yaml",
      "results-reader.yaml",
      "storage.yaml",
    ]);
    expect(OBJECTS.map((object) => `${object.kind}/${object.metadata.name}`).sort()).toEqual([
      "ConfigMap/tickets-bench",
      "Job/tickets-bench",
      "Job/tickets-bench-merge",
      "PersistentVolumeClaim/tickets-bench-results",
      "Pod/tickets-bench-results",
    ]);
  });

  it("every object is valid against the Kubernetes schemas (kubernetes-models)", () => {
    for (const object of OBJECTS)
      expect(() => validateObject(object), object.metadata.name).not.toThrow();
  });

  it("no object has a field the Kubernetes types do not have", () => {
    expect(shapeErrors(OBJECTS)).toEqual([]);
  });

  it("the validation is not vacuous: a wrong type, value or field is refused", () => {
    const broken = (change: (job: Loose) => void): KubeObject => {
      const copy = structuredClone(BENCH);
      change(copy);
      return copy;
    };
    expect(() => validateObject(broken((job) => (job.spec.completions = "four")))).toThrow(
      /completions/,
    );
    expect(() => validateObject(broken((job) => (job.spec.completionMode = "Indexd")))).toThrow(
      /completionMode/,
    );
    expect(() =>
      validateObject(broken((job) => delete job.spec.template.spec.containers[0].name)),
    ).toThrow(/name/);
    // kubernetes-models accepts unknown fields, as the API server drops them without strict
    // validation: the typed check catches them, nested ones too.
    const misspelt = [
      broken((job) => (job.spec.completionz = 4)),
      broken((job) => (job.spec.template.spec.containers[0].commnd = ["sh"])),
    ];
    for (const object of misspelt) expect(() => validateObject(object)).not.toThrow();
    const errors = shapeErrors(misspelt);
    expect(new Set(errors.map((error) => error.split(":")[0]))).toEqual(
      new Set(["object 0", "object 1"]),
    );
    expect(errors[0]).toMatch(/completionz/);
    expect(errors[1]).toMatch(/commnd/);
  });

  it("the bench is an Indexed Job: N completions, all at once, each pod shard I/N of the load", () => {
    expect(BENCH.spec.completionMode).toBe("Indexed");
    expect(N).toBeGreaterThan(1);
    expect(BENCH.spec.parallelism).toBe(N);
    expect(BENCH.metadata.labels).toEqual(BENCH.spec.template.metadata.labels);
    for (let index = 1; index <= N; index++) {
      const { dir, call } = runShard(index);
      expect(call.command).toBe("bench");
      expect(valuesOf(call.argv, "--shard")).toEqual([`${index}/${N}`]);
      expect(valuesOf(call.argv, "--base-url")).toEqual([BASE_URL]);
      expect(valuesOf(call.argv, "--report-dir")).toEqual([join(dir, `shard-${index}`)]);
    }
  });

  it("the pods start together at START_AT when the run has one, at once when not", () => {
    const at = "2026-12-02T09:00:00Z";
    for (let index = 1; index <= N; index++) {
      expect(valuesOf(runShard(index, 0, { START_AT: at }).call.argv, "--start-at")).toEqual([at]);
    }
    expect(valuesOf(runShard(1).call.argv, "--start-at")).toEqual([]);
    const [container] = containersOf(BENCH);
    const startAt = container.env.find((each: Loose) => each.name === "START_AT");
    expect(startAt.valueFrom.configMapKeyRef).toEqual({
      name: "tickets-bench-start",
      key: "START_AT",
      optional: true,
    });
    expect(README).toContain("kubectl create configmap tickets-bench-start");
  });

  it("a shard's pod fails when it measured nothing (2, 3), not when a threshold broke on its part (1)", () => {
    expect([0, 1, 2, 3].map((code) => runShard(1, code).code)).toEqual([0, 0, 2, 3]);
  });

  it("is bounded: no retry of a shard or of the merge, every pod Never restarted, deadlines set", () => {
    expect(BENCH.spec.backoffLimit).toBe(0);
    expect(MERGE.spec.backoffLimit).toBe(0);
    for (const object of OBJECTS.filter((each) => each.kind === "Job" || each.kind === "Pod")) {
      const deadline = object.spec.activeDeadlineSeconds;
      expect(deadline, object.metadata.name).toBeGreaterThan(0);
      expect(deadline, object.metadata.name).toBeLessThanOrEqual(3600);
      expect(podSpecOf(object).restartPolicy, object.metadata.name).toBe("Never");
    }
    // the shards' measured time (warm-up + duration, per scenario) fits in the bench Job's deadline
    const { call } = runShard(1);
    const scenarios = valuesOf(call.argv, "--scenario").length;
    const seconds =
      Number(valuesOf(call.argv, "--warmup")[0]) + Number(valuesOf(call.argv, "--duration")[0]);
    expect(scenarios * seconds * 2).toBeLessThan(BENCH.spec.activeDeadlineSeconds);
  });

  it("the key comes from a Secret (secretKeyRef), never written in a file; the base URL from the ConfigMap", () => {
    const [container] = containersOf(BENCH);
    const env = Object.fromEntries(container.env.map((each: Loose) => [each.name, each]));
    expect(env.TICKETS_API_KEY.value).toBeUndefined();
    expect(env.TICKETS_API_KEY.valueFrom).toEqual({
      secretKeyRef: { name: "tickets-api", key: "TICKETS_API_KEY" },
    });
    expect(README).toContain(
      "kubectl create secret generic tickets-api --from-file=TICKETS_API_KEY=",
    );
    const config = named("ConfigMap", "tickets-bench");
    expect(env.TICKETS_BASE_URL.valueFrom).toEqual({
      configMapKeyRef: { name: config.metadata.name, key: "TICKETS_BASE_URL" },
    });
    expect(config.data?.TICKETS_BASE_URL).toMatch(/^https:\/\//);
    // no Secret object, no literal value of a variable that looks like a credential, and the
    // scripts never touch the key (the CLI reads it from its environment)
    expect(OBJECTS.filter((object) => object.kind === "Secret")).toEqual([]);
    for (const object of OBJECTS.filter((each) => each.kind === "Job" || each.kind === "Pod")) {
      for (const each of containersOf(object)) {
        for (const variable of each.env ?? []) {
          if (/KEY|TOKEN|SECRET|PASSWORD/i.test(variable.name)) {
            expect(variable.value, variable.name).toBeUndefined();
          }
        }
        expect(JSON.stringify(each.args ?? [])).not.toMatch(/API_KEY|api-key/i);
      }
    }
    for (const name of FILES) {
      expect(readFileSync(join(DIR, name), "utf8"), name).not.toContain(DEV_API_KEY);
    }
    // the merge needs neither the key nor the target
    expect(containersOf(MERGE)[0].env).toBeUndefined();
  });

  it("every pod mounts the one ReadWriteMany claim at the same place", () => {
    const claim = named("PersistentVolumeClaim", "tickets-bench-results");
    expect(claim.spec.accessModes).toEqual(["ReadWriteMany"]);
    for (const object of OBJECTS.filter((each) => each.kind === "Job" || each.kind === "Pod")) {
      expect(podSpecOf(object).volumes, object.metadata.name).toEqual([
        { name: "results", persistentVolumeClaim: { claimName: claim.metadata.name } },
      ]);
      expect(containersOf(object)[0].volumeMounts[0].mountPath).toBe("/results");
    }
    expect(containersOf(named("Pod", "tickets-bench-results"))[0].volumeMounts[0].readOnly).toBe(
      true,
    );
  });

  it("the merge Job merges exactly the shards' folders into merged/, and its exit code is the pod's", () => {
    const { dir, call } = runMerge();
    expect(call.command).toBe("report merge");
    const shardDirs = Array.from({ length: N }, (_, index) => runShard(index + 1));
    const reportDirs = shardDirs.map((shard) =>
      valuesOf(shard.call.argv, "--report-dir")[0]?.replace(shard.dir, dir),
    );
    const firstOption = call.argv.findIndex((arg) => arg.startsWith("--"));
    expect(call.argv.slice(2, firstOption)).toEqual(reportDirs);
    expect(valuesOf(call.argv, "--report-dir")).toEqual([join(dir, "merged")]);
    expect(valuesOf(call.argv, "--threshold")).toContain("p99<200ms");
    expect([0, 1, 2, 3].map((code) => runMerge(code).code)).toEqual([0, 1, 2, 3]);
  });

  it("runs the image deploy/Dockerfile builds, whose entrypoint is the package's CLI", () => {
    const dockerfile = readFileSync(join(ROOT, "deploy", "Dockerfile"), "utf8");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual(["node:20-slim", "node:20-slim"]);
    const [, entrypoint] = dockerfile.match(/^ENTRYPOINT (.+)$/m) ?? [];
    expect(JSON.parse(entrypoint as string)).toEqual([
      "node",
      `/usr/local/lib/node_modules/${pkg.name}/${pkg.bin["tickets-harness"]}`,
    ]);
    // the build context (deploy/Dockerfile.dockerignore: nothing but what it lists) has what
    // the build compiles and what the package ships
    const context = readFileSync(join(ROOT, "deploy", "Dockerfile.dockerignore"), "utf8");
    const listed = new Set([...context.matchAll(/^!(\S+)$/gm)].map((m) => m[1]));
    const build = JSON.parse(readFileSync(join(ROOT, "tsconfig.build.json"), "utf8"));
    const needed = [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "tsconfig.build.json",
      ...build.include,
      ...pkg.files.filter((path: string) => !path.startsWith("dist/")),
    ].map((path: string) => path.split("/")[0]);
    expect([...new Set(needed)].filter((path) => !listed.has(path))).toEqual([]);
    const tag = README.match(/docker build -f deploy\/Dockerfile -t (\S+) \./)?.[1];
    expect(tag).toBeDefined();
    for (const object of OBJECTS.filter((each) => each.kind === "Job" || each.kind === "Pod")) {
      expect(containersOf(object)[0].image, object.metadata.name).toBe(tag);
    }
  });

  it("the README's commands apply these files, in order, and wait for the bench before the merge", () => {
    const order = [
      "kubectl apply -f deploy/k8s/storage.yaml",
      "kubectl apply -f deploy/k8s/bench-job.yaml",
      "kubectl wait --for=condition=complete --timeout=16m job/tickets-bench",
      "kubectl apply -f deploy/k8s/merge-job.yaml",
      "kubectl apply -f deploy/k8s/results-reader.yaml",
      "kubectl cp tickets-bench-results:/results",
    ];
    const at = order.map((text) => README.indexOf(text));
    expect(
      at.every((index) => index >= 0),
      String(at),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // the wait outlasts the Job's deadline: it ends with the Job, never before
    const minutes = Number(README.match(/--timeout=(\d+)m job\/tickets-bench\b/)?.[1]);
    expect(minutes * 60).toBeGreaterThan(BENCH.spec.activeDeadlineSeconds);
  });

  it("every call of the CLI passes only options its --help lists", () => {
    const calls: CliCall[] = [runShard(1).call, runMerge().call];
    const { unknown, pending } = unknownOptions(calls);
    expect(unknown).toEqual([]);
    // and the check does refuse an option the CLI does not have
    const typo = { command: "bench", options: ["--duration", "--shards"], argv: [] };
    expect(unknownOptions([typo]).unknown).toEqual(["bench --shards"]);
    if (pending.length > 0)
      console.warn(`not in the CLI yet, checked by name: ${pending.join(", ")}`);
  });
});
