import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../src/util/package-root.js";

export const ROOT = packageRoot();
const CLI = join(ROOT, "dist", "src", "cli", "main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (`npm test` builds it first). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// --- long-running children ------------------------------------------------------------------

/** What a child of the CLI ended with. */
export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the spawn to the end of its output. */
  ms: number;
}

export interface CliChild {
  child: ChildProcess;
  /** What it printed so far. */
  stdout: () => string;
  stderr: () => string;
  /**
   * The first complete stdout line matching `pattern` (any line by default). Rejects when
   * the child ends before printing one, and kills it and rejects after `timeoutMs`.
   */
  line: (pattern?: RegExp, timeoutMs?: number) => Promise<string>;
  /** Sends `signal` (SIGTERM by default) if the child still runs. */
  signal: (signal?: NodeJS.Signals) => void;
  /**
   * Resolves once the child has ended and closed its output; kills it and rejects after
   * `timeoutMs`.
   */
  exited: (timeoutMs?: number) => Promise<CliExit>;
}

export interface CliOptions {
  /** Added to the environment, which lacks the variables a run would pick up by itself. */
  env?: NodeJS.ProcessEnv;
  /** The working folder (the package root by default). */
  cwd?: string;
  /** The default bound on `line` and `exited`. */
  timeoutMs?: number;
}

/** What a run of the CLI picks up from the environment unless a test sets it. */
const AMBIENT = ["TICKETS_API_KEY", "TICKETS_BASE_URL", "TICKETS_HARNESS_DEBUG"];
/** Every child still running, with how to kill it. */
const children = new Map<ChildProcess, (signal: NodeJS.Signals) => void>();

/**
 * Starts the built CLI as a child that runs on while the test talks to it or waits for it
 * (`serve`, an interruptible `check`). `killCliChildren` in an afterEach or afterAll ends
 * those still running.
 */
export function startCli(args: string[], options: CliOptions = {}): CliChild {
  const { env = {}, cwd = ROOT, timeoutMs = 25_000 } = options;
  const base = { ...process.env };
  for (const name of AMBIENT) delete base[name];
  return startProcess(process.execPath, [CLI, ...args], {
    env: { ...base, ...env },
    cwd,
    timeoutMs,
    name: args.join(" "),
  });
}

export interface ProcessOptions {
  /** The whole environment. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The default bound on `line` and `exited`. */
  timeoutMs: number;
  /** How messages name it (default: the command line). */
  name?: string;
  /**
   * Its own process group, signalled as a whole and killed as a whole once it ends: for a
   * command that runs the real one under it (npx runs a bin under `sh -c`, and a signal to
   * npx alone does not reach it).
   */
  group?: boolean;
}

/** Starts any command as `startCli` starts the CLI; `killCliChildren` ends it too. */
export function startProcess(command: string, args: string[], options: ProcessOptions): CliChild {
  const { env, cwd, timeoutMs: bound, group = false } = options;
  const began = Date.now();
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: group,
  });
  const kill = (signal: NodeJS.Signals) => {
    if (!group || child.pid === undefined) {
      child.kill(signal);
      return;
    }
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  children.set(child, kill);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliExit>((resolve) => {
    child.on("close", (code, signal) => {
      children.delete(child);
      // What a group's leader leaves behind (a server whose npx ended first) ends with it.
      if (group) kill("SIGKILL");
      resolve({ code, signal, stdout, stderr, ms: Date.now() - began });
    });
  });
  const shown = `\`${options.name ?? [command, ...args].join(" ")}\``;
  const output = () => `\nstdout: ${stdout}\nstderr: ${stderr}`;
  const killed = (what: string) => () => {
    kill("SIGKILL");
    return `${shown} ${what}${output()}`;
  };

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    line: (pattern = /(?:)/, timeoutMs = bound) => {
      const found = () =>
        stdout
          .split("\n")
          .slice(0, -1)
          .find((each) => pattern.test(each));
      const line = new Promise<string>((resolve, reject) => {
        const check = () => {
          const each = found();
          if (each !== undefined) resolve(each);
        };
        child.stdout?.on("data", check);
        done.then((exit) => {
          check();
          reject(
            new Error(
              `${shown} ended (${exit.code ?? exit.signal}) before printing ${pattern}${output()}`,
            ),
          );
        });
        check();
      });
      return within(line, timeoutMs, killed(`to print a line matching ${pattern}`));
    },
    signal: (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) kill(signal);
    },
    exited: (timeoutMs = bound) => within(done, timeoutMs, killed("to exit")),
  };
}

/** SIGKILLs every child `startCli` and `startProcess` started that still runs. */
export function killCliChildren(): void {
  for (const [child, kill] of children) {
    if (child.exitCode === null && child.signalCode === null) kill("SIGKILL");
  }
  children.clear();
}

function within<T>(promise: Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${what()}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
