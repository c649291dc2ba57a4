import type { Violation } from "../../contract/validator.js";
import type { FindingValues } from "./passive-check.js";

/** A validator's violation as a finding: where, which rule, its source quoted. */
export function findingOf(violation: Violation): FindingValues & { message: string } {
  return {
    message: `${violation.where} ${violation.pointer || "(body)"}: ${violation.rule} [${violation.source}: ${violation.quote}]`,
    expected: violation.expected,
    actual: violation.actual,
  };
}
