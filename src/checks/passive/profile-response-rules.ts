import { passiveCheck } from "./passive-check.js";
import { findingOf } from "./violations.js";

const list = (values: (string | null)[]) => values.map((value) => JSON.stringify(value)).join(", ");

export const profileResponseRules = passiveCheck({
  id: "profile_response_rules",
  title: "Enum values, the list's array and error bodies as the profile pins them",
  source: "profile",
  section: "PROFILE.md Enumerations, Errors, The list endpoint",
  rule: "Enum values from the profile's table; the list is a JSON array; errors are {message}.",
  judge(ctx, exchange) {
    for (const violation of exchange.validation?.failures ?? []) {
      if (violation.source === "docs") continue;
      const { message, ...values } = findingOf(violation);
      ctx.fail(exchange, message, values);
    }
  },
  /** Enum values the contract expects and the run never saw: a warning, not a failure. */
  finish(ctx, run) {
    for (const { field, unseen, observed } of run.enums) {
      if (unseen.length === 0 || observed.length === 0) continue;
      ctx.warn(undefined, `${field}: never observed ${list(unseen)} (seen: ${list(observed)})`);
    }
  },
});
