/**
 * Runs the checks of a suite against one session, in order (read-only first), each to its
 * verdict, then cleans up what the run created. The passive checks judge every exchange
 * of every check; their results are gathered at the end.
 */
import type { ActiveCheck } from "./context.js";
import { CheckContext } from "./context.js";
import type { CheckInfo, CheckResult, Finding } from "./model.js";
import { PASSIVE_CHECKS } from "./passive.js";
import { CLEANUP, type Session, TargetUnreachableError } from "./session.js";

export interface Selection {
  only: string[];
  skip: string[];
}

export interface RunOutcome {
  results: CheckResult[];
  /** What cleanup could not undo: tickets left open, tags left attached. */
  leftovers: string[];
  /** Set when the run stopped early: why. */
  incomplete?: string;
}

export async function runChecks(
  session: Session,
  checks: ActiveCheck[],
  selection: Selection,
): Promise<RunOutcome> {
  const results: CheckResult[] = [];
  let incomplete: string | undefined;
  let unreachable = false;
  const ordered = [...checks].sort((a, b) => Number(a.mutates) - Number(b.mutates));
  for (const check of ordered) {
    const skipped = skipReason(check, session, selection);
    if (skipped || incomplete) {
      results.push(skippedResult(check, skipped ?? `not run: ${incomplete}`));
      continue;
    }
    const started = Date.now();
    const context = new CheckContext(check, session);
    try {
      await check.run(context);
    } catch (error) {
      if (!(error instanceof Error) || !("exitCode" in error)) throw error;
      incomplete = error.message;
      unreachable = error instanceof TargetUnreachableError;
      context.notes.push(`stopped before it finished: ${error.message}`);
    }
    results.push(resultOf(check, session, Date.now() - started, context.notes));
  }
  const leftovers = unreachable ? [`cleanup not tried: ${incomplete}`] : await cleanUp(session);
  for (const passive of Object.values(PASSIVE_CHECKS)) {
    const skipped = skipReason(passive, session, selection);
    results.push(skipped ? skippedResult(passive, skipped) : resultOf(passive, session, 0, []));
  }
  return { results, leftovers, ...(incomplete ? { incomplete } : {}) };
}

function skipReason(
  check: CheckInfo & { writesOnly?: boolean },
  session: Session,
  selection: Selection,
): string | undefined {
  if (selection.only.length > 0 && !selection.only.includes(check.id)) {
    return "not selected (--only)";
  }
  if (check.writesOnly && session.options.readOnly) return "read-only: it only writes";
  if (selection.skip.includes(check.id)) return "skipped (--skip)";
  if (check.source === "profile" && !session.options.profile.enabled(check.id)) {
    return "switched off by the config (profile.rules)";
  }
  return undefined;
}

function skippedResult(check: CheckInfo, reason: string): CheckResult {
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
  };
}

function infoOf(check: CheckInfo): CheckInfo {
  const { id, title, source, section, rule, mutates, passive } = check;
  return { id, title, source, section, rule, mutates, ...(passive ? { passive } : {}) };
}

/** Completes the tickets the run left open and removes the tags it left attached. */
export async function cleanUp(session: Session): Promise<string[]> {
  const api = session.clientFor(CLEANUP);
  const leftovers: string[] = [];
  const userId = session.fixtures.userIds[0] as string;
  for (const [ticketId, tags] of session.attached) {
    for (const tagId of [...tags]) {
      const exchange = await api.removeTicketTag(ticketId, tagId).catch(() => undefined);
      if (exchange?.response?.status !== 200)
        leftovers.push(`tag ${tagId} still attached to ticket ${ticketId}`);
    }
  }
  for (const ticketId of session.chats.open()) {
    const exchange = await api.completeTicket(ticketId, { userId }).catch(() => undefined);
    if (exchange?.response?.status !== 200) leftovers.push(`ticket ${ticketId} not completed`);
  }
  return leftovers;
}
