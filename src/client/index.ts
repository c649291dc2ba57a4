export { toCurl } from "./curl.js";
export type { Exchange, ExchangeError, ExchangeRequest, ExchangeResponse } from "./exchange.js";
export { type QueryParams, type QueryValue, serializeQuery } from "./query.js";
export {
  createTicketsClient,
  type NearKey,
  nearKeysOf,
  routeRequest,
  type SendRequest,
  type TicketsClient,
  type TicketsClientOptions,
} from "./tickets-client.js";
