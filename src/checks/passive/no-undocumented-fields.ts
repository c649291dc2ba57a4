import { passiveCheck } from "./passive-check.js";
import { findingOf } from "./violations.js";

export const noUndocumentedFields = passiveCheck({
  id: "no_undocumented_fields",
  title: "No field the docs do not list (a warning, never a failure)",
  source: "profile",
  section: "PROFILE.md The two ticket shapes",
  rule: "An undocumented extra field is reported as a warning, not a failure.",
  judge(ctx, exchange) {
    for (const warning of exchange.validation?.warnings ?? []) {
      const { message, ...values } = findingOf(warning);
      ctx.warn(exchange, message, values);
    }
  },
});
