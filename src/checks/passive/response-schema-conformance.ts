import { passiveCheck } from "./passive-check.js";
import { findingOf } from "./violations.js";

export const responseSchemaConformance = passiveCheck({
  id: "response_schema_conformance",
  title: "Every body matches its documented shape: fields, types, formats, nullability",
  source: "docs",
  section: "docs: the response fields of each operation",
  rule: "Every field the docs list, with its type, format and nullability, Required as marked.",
  judge(ctx, exchange) {
    const response = exchange.response;
    if (!response || exchange.documentedStatus === undefined) return;
    if (response.json === undefined) {
      const why = response.parseError ?? "no JSON body";
      ctx.fail(exchange, `${exchange.operationId} ${response.status}: ${why}`);
      return;
    }
    for (const violation of exchange.validation?.failures ?? []) {
      if (violation.source !== "docs") continue;
      const { message, ...values } = findingOf(violation);
      ctx.fail(exchange, message, values);
    }
  },
});
