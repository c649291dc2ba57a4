/**
 * What the deploy/ tests share: YAML read as Kubernetes and GitHub read it, the scripts of
 * the manifests and the workflow run by a real shell against a recording stand-in of the CLI
 * (so what is checked is the argv after the shell's expansions, not the text), and the
 * options the built CLI's --help lists.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { runCli } from "../support/cli.js";

/** Every document of a YAML file as data; a YAML error or warning (a duplicate key) throws. */
export function readDocuments(file: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(file, "utf8"), { uniqueKeys: true });
  if (!Array.isArray(documents)) throw new Error(`${file}: not a YAML stream`);
  return documents.map((document, index) => {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0) {
      throw new Error(`${file} document ${index}: ${problems.map(String).join("; ")}`);
    }
    return document.toJS();
  });
}

/** A folder removed by `dispose`. */
export function scratch(prefix: string): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `tickets-deploy-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Recorded {
  /** Each call of a stand-in: its name, then its arguments. */
  calls: string[][];
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RecordOptions {
  /** Programs replaced by a recorder (found first on PATH). */
  programs: string[];
  cwd: string;
  env?: Record<string, string>;
  /** What each recorder exits with. */
  exitCode?: number;
}

/**
 * Runs `command args` (a shell with a script) with `programs` replaced by recorders that
 * write their argv and exit with `exitCode`. The environment is PATH, HOME and `env` only:
 * nothing of the test's own (a real TICKETS_API_KEY) reaches the script.
 */
export function runRecorded(command: string, args: string[], options: RecordOptions): Recorded {
  const { dir, dispose } = scratch("record");
  try {
    const bin = join(dir, "bin");
    const log = join(dir, "calls.jsonl");
    mkdirSync(bin);
    writeFileSync(log, "");
    for (const name of options.programs) {
      const file = join(bin, name);
      writeFileSync(
        file,
        `#!${process.execPath}\n` +
          `require("node:fs").appendFileSync(${JSON.stringify(log)}, JSON.stringify(${JSON.stringify([name])}.concat(process.argv.slice(2))) + "\\n");\n` +
          `process.exit(${options.exitCode ?? 0});\n`,
      );
      chmodSync(file, 0o755);
    }
    const result = spawnSync(command, args, {
      cwd: options.cwd,
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, ...options.env },
      encoding: "utf8",
      timeout: 10_000,
    });
    const calls = readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as string[]);
    return { calls, code: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    dispose();
  }
}

/** A call of the CLI: its subcommand (`bench`, `report merge`) and the options it passes. */
export interface CliCall {
  command: string;
  options: string[];
  argv: string[];
}

/** `tickets-harness …` or `npx [npx options] tickets-harness …` as a CLI call. */
export function cliCall(call: string[]): CliCall {
  const at = call.indexOf("tickets-harness");
  if (at < 0) throw new Error(`not a call of the CLI: ${call.join(" ")}`);
  const argv = call.slice(at + 1);
  const words = argv[0] === "report" ? 2 : 1;
  return {
    command: argv.slice(0, words).join(" "),
    options: argv.filter((arg) => arg.startsWith("--")).map((arg) => arg.split("=")[0] as string),
    argv,
  };
}

/** The value after `option` in an argv, every time it occurs. */
export function valuesOf(argv: string[], option: string): string[] {
  return argv.flatMap((arg, index) => (arg === option ? [argv[index + 1] as string] : []));
}

/**
 * Options that another change is adding to the CLI at the same time as these files: allowed
 * only while the CLI lacks the feature that brings them (`bench` without `--shard`, no
 * `report merge`). Once it has it, its --help alone decides.
 */
const PENDING: Record<
  string,
  { landed: (help: Set<string> | undefined) => boolean; options: string[] }
> = {
  bench: { landed: (help) => help?.has("--shard") ?? false, options: ["--shard"] },
  "report merge": {
    landed: (help) => help !== undefined,
    options: ["--report-dir", "--threshold"],
  },
};

/**
 * The options `tickets-harness COMMAND --help` lists (the built CLI), or undefined when the
 * CLI has no such command.
 */
export function helpOptions(command: string): Set<string> | undefined {
  const words = command.split(" ");
  const { stdout } = runCli([...words, "--help"]);
  if (!new RegExp(`^Usage: tickets-harness ${command}( |$)`, "m").test(stdout)) return undefined;
  return new Set([...stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string));
}

export interface AllowedOptions {
  options: Set<string>;
  /** Whether the names come from the CLI's --help alone (false: it lacks the feature yet). */
  fromHelp: boolean;
}

/** What a call of `command` may pass: its --help's options, and PENDING's while pending. */
export function allowedOptions(command: string): AllowedOptions {
  const help = helpOptions(command);
  const pending = PENDING[command];
  if (pending === undefined || pending.landed(help)) {
    return { options: help ?? new Set(), fromHelp: true };
  }
  return { options: new Set([...(help ?? []), ...pending.options]), fromHelp: false };
}

/** The options of each call that its command does not list, as `command --option` lines. */
export function unknownOptions(calls: CliCall[]): { unknown: string[]; pending: string[] } {
  const unknown: string[] = [];
  const pending = new Set<string>();
  for (const call of calls) {
    const allowed = allowedOptions(call.command);
    if (!allowed.fromHelp) pending.add(call.command);
    for (const option of call.options) {
      if (!allowed.options.has(option)) unknown.push(`${call.command} ${option}`);
    }
  }
  return { unknown, pending: [...pending] };
}
