/** The passive checks, in the order reports list them. */
import { contentTypeConformance } from "./content-type-conformance.js";
import { detailsConsistency } from "./details-consistency.js";
import { listItemsMatchFilters } from "./list-items-match-filters.js";
import { listOrder } from "./list-order.js";
import { noUndocumentedFields } from "./no-undocumented-fields.js";
import { notAServerError } from "./not-a-server-error.js";
import type { PassiveCheck } from "./passive-check.js";
import { profileResponseRules } from "./profile-response-rules.js";
import { responseSchemaConformance } from "./response-schema-conformance.js";
import { statusCodeConformance } from "./status-code-conformance.js";
import { timestampOrder } from "./timestamp-order.js";

export const PASSIVE_CHECKS: PassiveCheck[] = [
  notAServerError,
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  profileResponseRules,
  noUndocumentedFields,
  detailsConsistency,
  listOrder,
  listItemsMatchFilters,
  timestampOrder,
];

export { JudgedExchange, type JudgeSettings } from "./judged-exchange.js";
export type { PassiveCheck, PassiveContext, RunObservations } from "./passive-check.js";
