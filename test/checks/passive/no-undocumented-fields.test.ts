import { describe, expect, it } from "vitest";
import { noUndocumentedFields } from "../../../src/checks/passive/no-undocumented-fields.js";
import { details, judge, listAnswer } from "../../support/exchanges.js";

describe("no_undocumented_fields", () => {
  it("warns of a field the docs do not list, and never fails", () => {
    const verdict = judge(
      noUndocumentedFields,
      listAnswer("status=ongoing", [details({ priority: "high" })]),
    );
    expect(verdict.failures).toEqual([]);
    expect(verdict.warnings.join()).toMatch(/priority/);
  });

  it("is silent when every field is documented", () => {
    expect(judge(noUndocumentedFields, listAnswer("status=ongoing", [details()])).warnings).toEqual(
      [],
    );
  });
});
