import { orderProblem, pageItems } from "../list-rules.js";
import { passiveCheck } from "./passive-check.js";

export const listOrder = passiveCheck({
  id: "list_order",
  title: "Every list page is in the profile's total order",
  source: "profile",
  section: "PROFILE.md The list endpoint",
  rule: "Order: `createdAt` descending, then `id` descending: a total order, so pages are stable while no ticket is written.",
  judge(ctx, exchange) {
    const page = exchange.listPage;
    if (!page) return;
    const disorder = orderProblem(pageItems(page));
    if (disorder) ctx.fail(exchange, `list page out of order: ${disorder}`);
  },
});
