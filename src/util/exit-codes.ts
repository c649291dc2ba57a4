/** The CLI's exit codes, fixed for every command. */
export const ExitCode = {
  /** Everything passed. */
  Ok: 0,
  /** The target broke a rule, a threshold was crossed, or the contract drifted. */
  RuleBroken: 1,
  /** Bad usage: an unknown option, a bad value, a bad config or input file. */
  Usage: 2,
  /** The run could not complete: the target is unreachable, hung, or the run was aborted. */
  Incomplete: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the user can fix: printed as one line, no stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Usage,
  ) {
    super(message);
    this.name = "UserError";
  }
}
