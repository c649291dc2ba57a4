/**
 * Runs the checks of a suite against one session, in order (read-only first), each to its
 * verdict, then cleans up what the run created. The enabled passive checks judge every
 * exchange of every check as it happens; their results are gathered at the end, after
 * their judgement of the run as a whole.
 */
import { ENUM_FIELDS, type EnumField } from "../contract/profile-facts.js";
import { cleanUp, type Leftover } from "../target/index.js";
import { RunStopped } from "../util/run-stopped.js";
import { CheckStopped } from "./check-stopped.js";
import type { ActiveCheck } from "./context.js";
import { CheckContext } from "./context.js";
import type { CheckInfo, CheckResult, Finding } from "./model.js";
import type { PassiveCheck } from "./passive/index.js";
import type { EffectiveProfile } from "./profile.js";
import type { EnumObservation } from "./results.js";
import { CLEANUP, type Session } from "./session.js";

/** Which checks a run leaves out, and why: the flags, the config, --read-only. */
export interface Selection {
  only: string[];
  skip: string[];
  readOnly: boolean;
  profile: Pick<EffectiveProfile, "enabled">;
}

export interface RunOutcome {
  results: CheckResult[];
  /** Per enum field, the values expected and observed: the documentation gap. */
  enums: EnumObservation[];
  /** What cleanup could not undo: tickets left open, tags left attached, chats unsettled. */
  leftovers: Leftover[];
  /** Set when the run stopped early: why. */
  incomplete?: string;
}

export async function runChecks(
  session: Session,
  checks: { active: ActiveCheck[]; passive: PassiveCheck[] },
  selection: Selection,
): Promise<RunOutcome> {
  const results: CheckResult[] = [];
  let stopped: RunStopped | undefined;
  let bug: string | undefined;
  const ordered = [...checks.active].sort((a, b) => Number(a.mutates) - Number(b.mutates));
  for (const check of ordered) {
    const skipped = skipReason(check, selection);
    if (skipped || stopped) {
      results.push(skippedResult(check, skipped ?? `not run: ${stopped?.message}`));
      continue;
    }
    const started = Date.now();
    const context = new CheckContext(check, session);
    try {
      await check.run(context);
    } catch (error) {
      if (error instanceof RunStopped) stopped = error;
      const why = whyItStopped(error, check.id);
      context.notes.push(why);
      if (!(error instanceof RunStopped || error instanceof CheckStopped)) bug ??= why;
    }
    results.push(resultOf(check, session, Date.now() - started, context.notes, context.measured));
  }
  // Also after an unreachable target, which may be back: the cleanup gives up by itself.
  const leftovers = await cleanUp(
    session.clientFor(CLEANUP),
    session.ledger,
    session.fixtures.userIds[0] ?? null,
  );
  const enums = enumObservations(session);
  session.finishJudging({ enums });
  for (const passive of checks.passive) {
    const skipped = skipReason(passive, selection);
    results.push(skipped ? skippedResult(passive, skipped) : resultOf(passive, session, 0, []));
  }
  const incomplete = stopped?.message ?? bug;
  return { results, enums, leftovers, ...(incomplete ? { incomplete } : {}) };
}

/** The note a check gets when it ended early: the run stopped, it lost an answer, or a bug. */
function whyItStopped(error: unknown, checkId: string): string {
  if (error instanceof RunStopped) return `stopped before it finished: ${error.message}`;
  if (error instanceof CheckStopped) return `not finished: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.TICKETS_HARNESS_DEBUG) console.error(error);
  return `internal error of the harness in ${checkId}: ${message} (the run's other checks went on; please report it)`;
}

/** Why the run leaves this check out; undefined when it runs. */
export function skipReason(
  check: CheckInfo & { writesOnly?: boolean },
  selection: Selection,
): string | undefined {
  if (selection.only.length > 0 && !selection.only.includes(check.id)) {
    return "not selected (--only)";
  }
  if (check.writesOnly && selection.readOnly) return "read-only: it only writes";
  if (selection.skip.includes(check.id)) return "skipped (--skip)";
  if (check.source === "profile" && !selection.profile.enabled(check.id)) {
    return "switched off by the config (profile.rules)";
  }
  return undefined;
}

function enumObservations(session: Session): EnumObservation[] {
  return (Object.entries(ENUM_FIELDS) as [EnumField, string][]).map(([field, shape]) => {
    const expected = session.options.validator.schema(shape)?.properties?.[field]?.enum ?? [];
    const observed = [...(session.observedEnums.get(field) ?? [])].sort(byText);
    return {
      field,
      expected,
      observed,
      unexpected: observed.filter((value) => !expected.includes(value)),
      unseen: expected.filter((value) => !observed.includes(value)),
    };
  });
}

function byText(a: string | null, b: string | null): number {
  return String(a).localeCompare(String(b));
}

export function skippedResult(check: CheckInfo, reason: string): CheckResult {
  return {
    ...infoOf(check),
    verdict: "skip",
    failures: [],
    warnings: [],
    failureCount: 0,
    warningCount: 0,
    requests: 0,
    meaningfulRequests: 0,
    durationMs: 0,
    skippedBecause: reason,
  };
}

function resultOf(
  check: CheckInfo,
  session: Session,
  durationMs: number,
  notes: string[],
  measured?: CheckResult["measured"],
): CheckResult {
  const mine = (findings: Finding[]) => findings.filter((finding) => finding.checkId === check.id);
  const failures = mine(session.findings);
  const warnings = mine(session.warnings);
  const tally = session.tally(check.id);
  const active = !check.passive;
  if (active && tally.requests === 0 && notes.length === 0) {
    warnings.push({ checkId: check.id, message: "tested nothing: it sent no request" });
  } else if (active && tally.requests > 0 && tally.meaningful === 0) {
    warnings.push({
      checkId: check.id,
      message: `tested nothing: all ${tally.requests} of its requests were answered 401 or 404`,
    });
  }
  for (const note of notes) warnings.push({ checkId: check.id, message: note });
  const verdict = failures.length > 0 ? "fail" : warnings.length > 0 ? "warn" : "pass";
  return {
    ...infoOf(check),
    verdict,
    failures,
    warnings,
    failureCount: session.findingCount(check.id),
    warningCount:
      session.findingCount(check.id, true) + (warnings.length - mine(session.warnings).length),
    requests: tally.requests,
    meaningfulRequests: tally.meaningful,
    durationMs,
    ...(measured ? { measured } : {}),
  };
}

function infoOf(check: CheckInfo): CheckInfo {
  const { id, title, source, section, rule, mutates, passive } = check;
  return { id, title, source, section, rule, mutates, ...(passive ? { passive } : {}) };
}
