import type { OperationId } from "../../contracts/types.js";

/** What was sent, with the API key replaced by its env var placeholder. */
export interface ExchangeRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ExchangeResponse<T> {
  status: number;
  headers: Record<string, string>;
  rawBody: string;
  /** The parsed body, typed as the contract says; validate it before trusting it. */
  json?: T;
  /** One line saying why `rawBody` was not parsed; set exactly when `json` is absent. */
  parseError?: string;
}

/**
 * `timeout`, `connection`, `protocol`: the target did not give a readable answer. `aborted`:
 * the run was interrupted while it waited. `refused`: the client did not send it (it would
 * have carried the key outside the authorization header).
 */
export type ExchangeErrorKind = "timeout" | "connection" | "protocol" | "aborted" | "refused";

export interface ExchangeError {
  kind: ExchangeErrorKind;
  message: string;
}

/** One request and its outcome: a response, or an error, never both. */
export interface Exchange<T> {
  operationId?: OperationId;
  request: ExchangeRequest;
  response?: ExchangeResponse<T>;
  error?: ExchangeError;
  timing: {
    startedAt: string;
    durationMs: number;
    /**
     * `performance.now()` when it was sent: exchanges of one process compare on it to the
     * microsecond (how far apart a group's requests started, whether they overlapped).
     */
    sentAtMs?: number;
  };
}
