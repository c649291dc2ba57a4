import { passiveCheck } from "./passive-check.js";

export const statusCodeConformance = passiveCheck({
  id: "status_code_conformance",
  title: "Every status is one the contract documents for the operation",
  source: "docs",
  section: "docs: Responses (200) and PROFILE.md Errors (400, 401, 404, 409)",
  rule: "Each operation answers 200 or one of the error statuses the profile assigns it.",
  judge(ctx, exchange) {
    const status = exchange.response?.status;
    if (status === undefined || !exchange.operationId) return;
    if (exchange.documentedStatus !== undefined) return;
    ctx.fail(exchange, `${exchange.operationId} answered ${status}`, {
      expected: `one of ${exchange.documentedStatuses.join(", ")}`,
      actual: String(status),
    });
  },
});
