/**
 * action.yml, the composite action a team gates with in one `uses:` step: valid YAML, valid
 * against GitHub's action metadata schema (SchemaStore's github-action.json, vendored beside
 * this file: https://github.com/SchemaStore/schemastore/blob/d9d98e69894ebd7a50965dc58d61951e9d7f23a7/src/schemas/json/github-action.json,
 * published as https://json.schemastore.org/github-action.json, Apache-2.0), and wired as
 * the README says. package.test.ts runs its steps against a served target.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";
import { type Action, expressionsOf, readAction } from "./github-action.js";

const schema = JSON.parse(
  readFileSync(join(ROOT, "test", "package", "github-action.schema.json"), "utf8"),
);
// strict: false: the schema is SchemaStore's, kept as they publish it, and not written for
// ajv's strict mode (its if/then/else branches use `properties` without `type: "object"`).
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const action = readAction();
const steps = action.runs.steps;

/** A GitHub expression, `${{ … }}`, as action.yml writes it. */
const gh = (expression: string) => `\${{ ${expression} }}`;

const errorsOf = (value: unknown) =>
  validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe("action.yml", () => {
  it("is valid against GitHub's action metadata schema", () => {
    expect(errorsOf(action)).toEqual([]);
  });

  it("the schema does reject a broken action (the validation is not vacuous)", () => {
    const broken = structuredClone(action) as Action & { runs: { steps: object[] } };
    broken.runs.steps[0] = { run: "echo no shell" };
    expect(errorsOf(broken)).not.toEqual([]);
    expect(errorsOf({ ...action, inputs: { "base-url": { default: "" } } })).not.toEqual([]);
    expect(errorsOf({ ...action, runs: { using: "node9", main: "x.js" } })).not.toEqual([]);
  });

  it("is a composite action whose steps use only declared inputs and earlier steps' outputs", () => {
    expect(action.runs.using).toBe("composite");
    const expressions = expressionsOf(action);
    const inputs = new Set(Object.keys(action.inputs));
    const used = expressions.flatMap((e) =>
      [...e.matchAll(/\binputs\.([\w-]+)/g)].map((m) => m[1]),
    );
    expect(used.filter((name) => !inputs.has(name as string))).toEqual([]);
    // and every input is used: none is declared for show
    expect([...inputs].filter((name) => !used.includes(name))).toEqual([]);
    // steps.ID.outputs.NAME: ID is a step before the one that reads it
    steps.forEach((step, index) => {
      const earlier = new Set(steps.slice(0, index).map((each) => each.id));
      const read = expressionsOf({
        ...action,
        outputs: {},
        runs: { ...action.runs, steps: [step] },
      }).flatMap((e) => [...e.matchAll(/\bsteps\.([\w-]+)\.outputs\./g)].map((m) => m[1]));
      expect(
        read.filter((id) => !earlier.has(id)),
        step.name,
      ).toEqual([]);
    });
  });

  it("hands inputs to its scripts through env only, never spliced into the script", () => {
    for (const step of steps.filter((each) => each.run !== undefined)) {
      expect(step.run, step.name).not.toMatch(/\$\{\{/);
      expect(step.shell, step.name).toBe("bash");
    }
  });

  it("runs the check into report-dir (default reports/ci), with the inputs as its options", () => {
    expect(action.inputs["report-dir"]?.default).toBe("reports/ci");
    const check = steps[0];
    expect(check?.id).toBe("check");
    expect(check?.run).toContain("npx --no tickets-harness");
    for (const [option, variable] of [
      ["--report-dir", "report_dir"],
      ["--base-url", "HARNESS_BASE_URL"],
      ["--config", "HARNESS_CONFIG"],
      ["--fixtures", "HARNESS_FIXTURES"],
    ]) {
      expect(check?.run).toContain(`${option} "$${variable}"`);
    }
    expect(check?.run).toContain('echo "exit-code=$code" >> "$GITHUB_OUTPUT"');
  });

  it("writes the summary, uploads the reports whatever happened, and ends with the check's exit code", () => {
    const [, summary, upload, verdict] = steps;
    expect(steps).toHaveLength(4);
    expect(summary?.if).toBe("always()");
    expect(summary?.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(upload?.if).toBe("always()");
    expect(upload?.uses).toBe("actions/upload-artifact@v4");
    expect(upload?.with?.path).toBe(gh("steps.check.outputs.report-dir"));
    expect(verdict?.if).toBe("always()");
    expect(verdict?.env?.EXIT_CODE).toBe(gh("steps.check.outputs.exit-code"));
    expect(verdict?.run).toMatch(/^exit "\$\{EXIT_CODE:-3\}"$/);
    expect(action.outputs["exit-code"]?.value).toBe(gh("steps.check.outputs.exit-code"));
  });
});
