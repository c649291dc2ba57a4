/**
 * The one error that stops a run partway: the target stopped answering or kept rate
 * limiting, the time budget ran out, or the run was interrupted. The checks stop at their next request; the cleanup
 * and the reports still happen, and the run ends incomplete (exit 3). Anything else thrown
 * inside a check is either a finding or a bug of the harness, never a reason to stop.
 */
import { ExitCode, UserError } from "./exit-codes.js";

export type StopKind = "unreachable" | "budget" | "interrupted" | "rate-limited";

export class RunStopped extends UserError {
  constructor(
    readonly kind: StopKind,
    message: string,
  ) {
    super(message, ExitCode.Incomplete);
    this.name = "RunStopped";
  }

  static unreachable(message: string): RunStopped {
    return new RunStopped("unreachable", message);
  }

  static budgetSpent(): RunStopped {
    return new RunStopped("budget", "the run's time budget ran out before every check finished");
  }

  static rateLimited(tries: number): RunStopped {
    return new RunStopped(
      "rate-limited",
      `the target kept answering 429 (rate limited) after ${tries} retries with waits: lower --rate, or raise --max-wait`,
    );
  }

  static interrupted(signal: string): RunStopped {
    return new RunStopped("interrupted", `interrupted (${signal}) before every check finished`);
  }
}
