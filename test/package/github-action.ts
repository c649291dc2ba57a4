/**
 * The composite action at the repository's root (action.yml), read as GitHub reads it, and
 * its steps run as a runner runs them: each `run:` in `bash --noprofile --norc -eo pipefail`
 * with its `env:` and `working-directory:`, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * `if: always()` honoured, `uses:` steps recorded but not run (they need GitHub). The
 * expressions it evaluates are the only ones the action may use: `inputs.NAME` and
 * `steps.ID.outputs.NAME`, alone in a `${{ }}`; anything else throws.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { ROOT } from "../support/cli.js";
import { run as runCommand } from "./processes.js";

export const ACTION_FILE = join(ROOT, "action.yml");

export interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  "working-directory"?: string;
}

export interface Action {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

/** action.yml as data; a YAML error or warning (a duplicate key, say) throws. */
export function readAction(file = ACTION_FILE): Action {
  const document = parseDocument(readFileSync(file, "utf8"), { uniqueKeys: true });
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) throw new Error(`${file}: ${problems.map(String).join("; ")}`);
  return document.toJS() as Action;
}

const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;

/** Every `${{ … }}` expression in a value, and the bare `if:` conditions, of the steps and outputs. */
export function expressionsOf(action: Action): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === "string") {
      for (const match of value.matchAll(EXPRESSION)) found.push(match[1] as string);
    } else if (value && typeof value === "object") {
      for (const each of Object.values(value)) walk(each);
    }
  };
  walk(action.runs.steps.map(({ if: _condition, ...step }) => step));
  walk(action.outputs);
  for (const step of action.runs.steps) if (step.if) found.push(step.if);
  return found;
}

export interface StepRun {
  name: string;
  /** Absent for a step that did not run (or a `uses:` step, which is only recorded). */
  code?: number;
  ran: boolean;
  output: string;
}

export interface ActionRun {
  steps: StepRun[];
  /** What the steps appended to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** Step id -> its outputs. */
  outputs: Record<string, Record<string, string>>;
  /** The `uses:` steps that would have run, with their `with:` evaluated. */
  uses: { uses: string; with: Record<string, string> }[];
  /** The action's verdict: its first failing step's exit code, else 0. */
  code: number;
}

export interface RunOptions {
  inputs: Record<string, string>;
  /** The workspace: where a relative working-directory starts. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The bound on each step. */
  timeoutMs: number;
}

export async function runAction(action: Action, options: RunOptions): Promise<ActionRun> {
  const unknown = Object.keys(options.inputs).filter((name) => !(name in action.inputs));
  if (unknown.length > 0) throw new Error(`not inputs of the action: ${unknown.join(", ")}`);
  const inputs = Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [
      name,
      options.inputs[name] ?? input.default ?? "",
    ]),
  );
  const outputs: Record<string, Record<string, string>> = {};
  const evaluate = (text: string): string =>
    text.replace(EXPRESSION, (_, expression: string) =>
      evaluateExpression(expression, inputs, outputs),
    );
  const scratch = mkdtempSync(join(tmpdir(), "tickets-harness-action-"));
  const summaryFile = join(scratch, "step-summary.md");
  writeFileSync(summaryFile, "");
  const run: ActionRun = { steps: [], summary: "", outputs, uses: [], code: 0 };
  try {
    for (const [index, step] of action.runs.steps.entries()) {
      const name = step.name ?? step.id ?? `step ${index + 1}`;
      if (!shouldRun(step.if, run.code !== 0)) {
        run.steps.push({ name, ran: false, output: "" });
        continue;
      }
      if (step.uses) {
        const given = Object.entries(step.with ?? {}).map(([key, value]) => [key, evaluate(value)]);
        run.uses.push({ uses: step.uses, with: Object.fromEntries(given) });
        run.steps.push({ name, ran: true, output: "" });
        continue;
      }
      if (step.shell !== "bash" || step.run === undefined) {
        throw new Error(`${name}: only bash run steps can be run here`);
      }
      const script = join(scratch, `step-${index + 1}.sh`);
      writeFileSync(script, evaluate(step.run));
      const outputFile = join(scratch, `step-${index + 1}.output`);
      writeFileSync(outputFile, "");
      const env = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([key, value]) => [key, evaluate(value)]),
      );
      const result = await runCommand(
        "bash",
        ["--noprofile", "--norc", "-eo", "pipefail", script],
        {
          cwd: resolve(options.cwd, evaluate(step["working-directory"] ?? ".")),
          env: {
            ...options.env,
            ...env,
            GITHUB_OUTPUT: outputFile,
            GITHUB_STEP_SUMMARY: summaryFile,
          },
          timeoutMs: options.timeoutMs,
        },
      );
      const code = result.code ?? 128;
      if (step.id) outputs[step.id] = readOutputs(outputFile);
      run.steps.push({ name, ran: true, code, output: result.stdout + result.stderr });
      if (code !== 0 && run.code === 0) run.code = code;
    }
    run.summary = readFileSync(summaryFile, "utf8");
    return run;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function evaluateExpression(
  expression: string,
  inputs: Record<string, string>,
  outputs: Record<string, Record<string, string>>,
): string {
  const input = /^inputs\.([A-Za-z_][\w-]*)$/.exec(expression);
  if (input) {
    const name = input[1] as string;
    if (!(name in inputs)) throw new Error(`\${{ ${expression} }}: no such input`);
    return inputs[name] as string;
  }
  const output = /^steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)$/.exec(expression);
  if (output) return outputs[output[1] as string]?.[output[2] as string] ?? "";
  throw new Error(`\${{ ${expression} }}: not an expression this runner knows`);
}

function shouldRun(condition: string | undefined, failed: boolean): boolean {
  if (condition === undefined) return !failed;
  if (condition.trim() === "always()") return true;
  throw new Error(`if: ${condition}: not a condition this runner knows`);
}

/** GITHUB_OUTPUT's `name=value` lines (the action writes no multi-line values). */
function readOutputs(file: string): Record<string, string> {
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  return Object.fromEntries(
    lines.map((line) => {
      const at = line.indexOf("=");
      if (at < 1) throw new Error(`GITHUB_OUTPUT: not a name=value line: ${line}`);
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
}
