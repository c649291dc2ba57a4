import { describe, expect, it } from "vitest";
import { listOrder } from "../../../src/checks/passive/list-order.js";
import { details, judge, listAnswer } from "../../support/exchanges.js";

const at = (createdAt: string, id: string) => details({ createdAt, id });
const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";

describe("list_order", () => {
  it("passes createdAt descending, and a tie ordered by id descending", () => {
    const page = [
      at("2026-11-30T11:00:00.000Z", A),
      at("2026-11-30T10:00:00.000Z", B),
      at("2026-11-30T10:00:00.000Z", A),
    ];
    expect(judge(listOrder, listAnswer("status=ongoing", page)).failures).toEqual([]);
  });

  it("fails a tie ordered by id ascending: the nearest to the total order that breaks it", () => {
    const page = [at("2026-11-30T10:00:00.000Z", A), at("2026-11-30T10:00:00.000Z", B)];
    expect(judge(listOrder, listAnswer("status=ongoing", page)).failures).toHaveLength(1);
  });

  it("fails oldest first", () => {
    const page = [at("2026-11-30T10:00:00.000Z", A), at("2026-11-30T10:00:00.001Z", B)];
    expect(judge(listOrder, listAnswer("status=ongoing", page)).failures[0]).toMatch(
      /^list page out of order: item 0/,
    );
  });
});
