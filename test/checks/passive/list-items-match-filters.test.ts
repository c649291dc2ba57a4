import { describe, expect, it } from "vitest";
import { listItemsMatchFilters } from "../../../src/checks/passive/list-items-match-filters.js";
import { details, judge, listAnswer } from "../../support/exchanges.js";

const one = details();
const failures = (query: string, page: unknown[] = [one]) =>
  judge(listItemsMatchFilters, listAnswer(query, page)).failures;

describe("list_items_match_filters", () => {
  it("passes an item that matches every filter", () => {
    expect(failures(`status=ongoing&assigneeIds=${one.assigneeId}&chatIds=${one.chatId}`)).toEqual(
      [],
    );
  });

  it("fails another status, and an id not among an id filter's values", () => {
    expect(failures("status=pending")[0]).toMatch(/status is ongoing, the query asked for pending/);
    const other = "00000000-0000-4000-8000-000000000000";
    expect(failures(`status=ongoing&assigneeIds=${other}`)[0]).toMatch(/assigneeId/);
    expect(failures(`status=ongoing&assigneeIds=${other}&assigneeIds=${one.assigneeId}`)).toEqual(
      [],
    );
  });

  it("searches the summary case-insensitively: another case passes, another word fails", () => {
    expect(failures("status=ongoing&search=CANNOT%20LOG")).toEqual([]);
    expect(failures("status=ongoing&search=password")).toHaveLength(1);
  });

  it("hides removed chats unless includeRemoved=true", () => {
    const removed = details({ chatIsRemoved: true });
    expect(failures("status=ongoing", [removed])).toHaveLength(1);
    expect(failures("status=ongoing&includeRemoved=false", [removed])).toHaveLength(1);
    expect(failures("status=ongoing&includeRemoved=true", [removed])).toEqual([]);
  });

  it("holds a page to pageSize: as many items passes, one more fails", () => {
    expect(failures("status=ongoing&pageSize=2", [one, one])).toEqual([]);
    expect(failures("status=ongoing&pageSize=1", [one, one])).toEqual([
      "a page of 2 items for pageSize 1",
    ]);
    expect(failures("status=ongoing", Array(11).fill(one))).toEqual([
      "a page of 11 items for pageSize 10",
    ]);
  });
});
