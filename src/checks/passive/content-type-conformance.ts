import { passiveCheck } from "./passive-check.js";

export const contentTypeConformance = passiveCheck({
  id: "content_type_conformance",
  title: "Every response body is application/json",
  source: "docs",
  section: "docs: Responses 200 application/json; PROFILE.md Errors",
  rule: "application/json (and every 4xx/5xx body is JSON).",
  judge(ctx, exchange) {
    const response = exchange.response;
    if (!response || response.rawBody.length === 0) return;
    const contentType = response.headers["content-type"] ?? "";
    if (/^application\/json\b/i.test(contentType)) return;
    ctx.fail(exchange, `content-type ${JSON.stringify(contentType)}`, {
      expected: "application/json",
      actual: contentType || "(none)",
    });
  },
});
