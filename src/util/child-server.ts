/**
 * A server under test in its own process, so that it and the load generator each get a
 * core: spawned with `node`, ready when it prints `listening on http://127.0.0.1:PORT`,
 * start-up timed from spawn to that line, RSS read from /proc. Every child is killed when
 * the bench exits, fails or is interrupted.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { stopChild } from "./child-process.js";

const READY = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/;
const live = new Set<ChildProcess>();

export interface ChildServer {
  name: string;
  pid: number;
  url: string;
  startupMs: number;
  rssMb(): number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  /** Arguments to `node` (flags, script, script arguments). */
  args: string[];
  env?: NodeJS.ProcessEnv;
  startTimeoutMs: number;
}

export async function spawnServer(options: SpawnOptions): Promise<ChildServer> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, options.args, {
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  const stderr = tailOf(child);
  try {
    const url = await readyUrl(child, options, stderr);
    const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
    const pid = child.pid as number;
    return {
      name: options.name,
      pid,
      url,
      startupMs,
      rssMb: () => rssMbOf(pid),
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** The URL of the `listening on` line; rejects on exit, spawn error or time-out. */
function readyUrl(child: ChildProcess, options: SpawnOptions, stderr: () => string) {
  return new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      const detail = stderr();
      reject(new Error(`${options.name}: ${why}${detail ? `\n${detail}` : ""}`));
    };
    const timer = setTimeout(
      () => fail(`not listening after ${options.startTimeoutMs} ms`),
      options.startTimeoutMs,
    );
    child.once("error", (error) => fail(`cannot start: ${error.message}`));
    child.once("exit", (code, signal) => fail(`exited before listening (${signal ?? code})`));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      const match = READY.exec(line.trim());
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1] as string);
    });
  });
}

/** Keeps the last few KB of a child's stderr, for the error message if it dies. */
function tailOf(child: ChildProcess): () => string {
  let text = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-4_000);
  });
  return () => text.trim();
}

function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

export async function stopAllServers(): Promise<void> {
  await Promise.all([...live].map(stopChild));
}

/** Kills every child on exit and on SIGINT/SIGTERM (then exits 130/143). */
export function killServersOnExit(): void {
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers`);
      stopAllServers().finally(() => process.exit(code));
    });
  }
}
