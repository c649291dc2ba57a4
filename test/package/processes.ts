/**
 * Commands the package tests run as a user would (npm, npx, node, bash): each in a process
 * group of its own (npx runs the bin under `sh -c`), bounded, and ended by
 * `killCliChildren` in an afterAll if it still runs (test/support/cli.ts).
 */
import { type CliChild, type CliExit, startProcess } from "../support/cli.js";

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** Starts a command that runs on (a server) while the test talks to it. */
export function start(command: string, args: string[], options: RunOptions): CliChild {
  return startProcess(command, args, { ...options, group: true });
}

/** Runs a command to its end, within `timeoutMs`. */
export function run(command: string, args: string[], options: RunOptions): Promise<CliExit> {
  return start(command, args, options).exited();
}

/**
 * The environment of a user's shell: this one without what the test runner, npm's own
 * script runner and a developer's TICKETS_* settings put in it.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(TICKETS_|VITEST|npm_|INIT_CWD$|NODE_OPTIONS$|NODE_ENV$)/.test(name),
    ),
  );
  return { ...env, ...extra };
}
