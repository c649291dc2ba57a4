/**
 * The options that split a bench: `--rounds` (the measured time in equal windows),
 * `--shard I/N` (this process runs part I of N; `report merge` adds the parts up) and
 * `--workers N` (N worker threads on this machine, merged in process the same way).
 */
import type { Command } from "commander";
import type { ShardIdentity } from "../load/results.js";
import { UserError } from "../util/exit-codes.js";
import { number } from "./option-parsers.js";

export interface SplitFlags {
  rounds?: number;
  shard?: ShardIdentity;
  workers?: number;
  rawLatencies?: string;
  startAt?: number;
}

export function splitOptions(command: Command): Command {
  return command
    .option(
      "--rounds <n>",
      "cut each scenario's measured time into this many equal rounds: the per-round figures a baseline compares (default 5)",
      number("--rounds", 1, 1_000),
    )
    .option(
      "--shard <i/n>",
      "run part I of N of every scenario (its share of the connections or of the rate, its own seed); `report merge` adds the N folders up",
      shardOf,
    )
    .option(
      "--workers <n>",
      "run every scenario in N worker threads of this process (each a shard), merged as `report merge` merges",
      number("--workers", 1, 64),
    )
    .option(
      "--start-at <time>",
      "start the first scenario at this wall-clock time (ISO 8601 with a zone, e.g. 2026-12-02T09:00:00Z), so that shards on several machines run together",
      startAtOf,
    )
    .option(
      "--raw-latencies <file>",
      "append every measured answer to FILE as CSV (scenario,epoch_ms,status,latency_us,label), for your own analysis",
    );
}

/** The furthest ahead `--start-at` may be: a typo of a day should not hang a CI job. */
const MAX_START_AHEAD_MS = 6 * 3600_000;

/** `--start-at 2026-12-02T09:00:00Z`: epoch ms. */
export function startAtOf(value: string): number {
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(
    value.trim(),
  );
  const ms = Date.parse(value.trim());
  if (!zoned || Number.isNaN(ms)) {
    throw new UserError(
      `--start-at must be a time in ISO 8601 with its zone, e.g. 2026-12-02T09:00:00Z, got "${value}"`,
    );
  }
  if (ms - Date.now() > MAX_START_AHEAD_MS) {
    throw new UserError(`--start-at ${value} is more than 6 hours ahead`);
  }
  return ms;
}

/** `--shard 2/4`: part 2 of 4. */
export function shardOf(value: string): ShardIdentity {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > 10_000 || index < 1 || index > count) {
    throw new UserError(
      `--shard must be I/N with 1 <= I <= N <= 10000 (e.g. 2/4: part 2 of 4), got "${value}"`,
    );
  }
  return { index, count };
}
