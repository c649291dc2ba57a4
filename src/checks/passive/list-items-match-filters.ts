import { mismatch, pageItems, queryOfUrl } from "../list-rules.js";
import { passiveCheck } from "./passive-check.js";

export const listItemsMatchFilters = passiveCheck({
  id: "list_items_match_filters",
  title:
    "Every item of every list page matches every filter, and a page holds at most pageSize items",
  source: "profile",
  section: "PROFILE.md The list endpoint",
  rule:
    "`status` filters by equality; id filters: values OR-ed within a parameter, parameters AND-ed; `search`: " +
    "case-insensitive substring of `summary`; `includeRemoved` absent or `false` excludes removed chats; " +
    "page `n` holds items `(n-1)*pageSize .. n*pageSize-1`.",
  judge(ctx, exchange) {
    const page = exchange.listPage;
    if (!page) return;
    const query = queryOfUrl(exchange.exchange.request.url);
    if (Number.isInteger(query.pageSize) && page.length > query.pageSize) {
      ctx.fail(exchange, `a page of ${page.length} items for pageSize ${query.pageSize}`);
    }
    for (const [index, item] of pageItems(page).entries()) {
      const reason = mismatch(item, query);
      if (!reason) continue;
      ctx.fail(exchange, `item ${index} (ticket ${item.id}) does not match the query: ${reason}`);
      return;
    }
  },
});
