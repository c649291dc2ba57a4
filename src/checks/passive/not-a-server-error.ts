import { passiveCheck } from "./passive-check.js";

export const notAServerError = passiveCheck({
  id: "not_a_server_error",
  title: "No response is a 5xx",
  source: "profile",
  section: "PROFILE.md Errors",
  rule: "Never `5xx` for any input a client can send.",
  judge(ctx, exchange) {
    const status = exchange.response?.status;
    if (status !== undefined && status >= 500) ctx.fail(exchange, `answered ${status}`);
  },
});
