/** Parsers of option values, shared by the commands: a bad value is a usage error (exit 2). */
import type { Command } from "commander";
import { UserError } from "../util/exit-codes.js";

/** The options that choose the target, the same for every command that talks to one. */
export function targetOptions(command: Command, fixturesAreFor: string): Command {
  return command
    .option(
      "--base-url <url>",
      "the target's base URL (default: $TICKETS_BASE_URL, the config's, else the embedded server)",
    )
    .option("--config <file>", "config file (default: ./tickets-harness.config.json if present)")
    .option(
      "--fixtures <file>",
      `JSON file with chatIds, userIds, tagIds, ticketingTeamIds the target already has (${fixturesAreFor})`,
    );
}

export function number(name: string, min: number, max: number, integer = true) {
  return (value: string): number => {
    const parsed = value.trim() === "" ? Number.NaN : Number(value);
    if (
      !Number.isFinite(parsed) ||
      (integer && !Number.isInteger(parsed)) ||
      parsed < min ||
      parsed > max
    ) {
      throw new UserError(
        `${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}, got "${value}"`,
      );
    }
    return parsed;
  };
}

/** A comma-separated, repeatable list of names. */
export function ids(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean),
  ];
}
