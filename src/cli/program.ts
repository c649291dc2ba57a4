/** The CLI's commands, and what an error becomes: one line and an exit code. */
import { Command, CommanderError } from "commander";
import { InputFileError } from "../contract/contract-files.js";
import { DeriveError } from "../contract/derive.js";
import { DocsFormatError } from "../contract/docs-parser.js";
import { ProfileFormatError } from "../contract/profile-source.js";
import { ExitCode, UserError } from "../util/exit-codes.js";
import { redactSecrets } from "../util/redaction.js";
import { registerBenchCommands } from "./bench-command.js";
import { registerCheckCommands } from "./check-command.js";
import { registerCleanupCommand } from "./cleanup-command.js";
import { registerContractsCommand } from "./contracts-command.js";
import { registerReferenceCommands } from "./reference-commands.js";
import { registerReportCommands } from "./report-command.js";

const USAGE_ERRORS = [UserError, InputFileError, DocsFormatError, ProfileFormatError, DeriveError];

export function buildProgram(): Command {
  const program = new Command("tickets-harness")
    .description("Contract tests and load tests for the Tickets API")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();
  registerContractsCommand(program);
  registerReferenceCommands(program);
  registerCheckCommands(program);
  registerBenchCommands(program);
  registerCleanupCommand(program);
  registerReportCommands(program);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.Ok;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message already; help and version are not errors.
    return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
  }
  const known = USAGE_ERRORS.find((kind) => error instanceof kind);
  if (known) {
    console.error(`tickets-harness: ${(error as Error).message}`);
    return error instanceof UserError ? error.exitCode : ExitCode.Usage;
  }
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  console.error(`tickets-harness: internal error: ${message}`);
  if (process.env.TICKETS_HARNESS_DEBUG) console.error(error);
  else console.error("(set TICKETS_HARNESS_DEBUG=1 to see where it came from)");
  return ExitCode.Incomplete;
}
