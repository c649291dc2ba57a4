/**
 * What a check is and what a run of it yields. A check has a stable id (Schemathesis
 * style), one line of description, and the rule it enforces, quoted, with its source:
 * the docs (a contract check) or PROFILE.md (a profile check, which a vendor's config can
 * switch off).
 */
import type { Exchange } from "../client/index.js";

export type RuleSource = "docs" | "profile";

export interface CheckInfo {
  id: string;
  title: string;
  source: RuleSource;
  /** Where the rule is written: `docs: GET /api/v1/tickets/{id}/details` or `PROFILE.md Lifecycle`. */
  section: string;
  /** The rule, in the words of its source. */
  rule: string;
  /** Sends anything but GETs: skipped under --read-only. */
  mutates: boolean;
  /** Sends nothing: judges every response of the run. */
  passive?: boolean;
}

export type Verdict = "pass" | "fail" | "warn" | "skip";

/** A request and its answer, as a report shows it: ready to paste, cut to a safe length. */
export interface ExchangeRecord {
  operationId?: string;
  curl: string;
  method: string;
  url: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  error?: string;
  durationMs: number;
}

export interface Counterexample {
  /** The shrunk case, as fast-check prints it. */
  value: string;
  seed: number;
  path: string;
  /** The command that replays it exactly. */
  replay: string;
}

export interface Finding {
  checkId: string;
  /** One line: what was wrong. */
  message: string;
  expected?: string;
  actual?: string;
  exchange?: ExchangeRecord;
  counterexample?: Counterexample;
}

/** What a check measured of its own run: one line for people, the figures for machines. */
export interface Measured {
  /** E.g. `75 groups ran, 74 overlapped at the target; start spread median 0.1 ms ...`. */
  line: string;
  /** The same figures by name (counts, milliseconds). */
  values: Record<string, number>;
}

export interface CheckResult extends CheckInfo {
  verdict: Verdict;
  /** The first findings in full (see failureCount for how many there were). */
  failures: Finding[];
  warnings: Finding[];
  failureCount: number;
  warningCount: number;
  /** Requests the check itself sent. */
  requests: number;
  /** Requests whose answer was something else than 401/404: the check tested something. */
  meaningfulRequests: number;
  durationMs: number;
  skippedBecause?: string;
  /** What the check measured of its own run, where it says (lifecycle_concurrency: groups, overlap). */
  measured?: Measured;
}

const MAX_BODY_IN_REPORT = 2_000;

export function recordOf(exchange: Exchange<unknown>, curl: string): ExchangeRecord {
  const body = exchange.response?.rawBody;
  return {
    ...(exchange.operationId === undefined ? {} : { operationId: exchange.operationId }),
    curl,
    method: exchange.request.method,
    url: exchange.request.url,
    ...(exchange.response
      ? {
          status: exchange.response.status,
          responseHeaders: exchange.response.headers,
          responseBody:
            body && body.length > MAX_BODY_IN_REPORT
              ? `${body.slice(0, MAX_BODY_IN_REPORT)}…`
              : body,
        }
      : {}),
    ...(exchange.error ? { error: exchange.error.message } : {}),
    durationMs: Math.round(exchange.timing.durationMs * 10) / 10,
  };
}
