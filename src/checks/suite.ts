/** The suite: every active check, in the order they run, and the passive ones. */
import { authRequired } from "./active/auth.js";
import { lifecycleModel, lifecycleRules } from "./active/lifecycle.js";
import { listCompleteness, listPagination } from "./active/list-properties.js";
import { negativeDataRejection } from "./active/negative-data.js";
import { unknownIdsNotFound } from "./active/unknown-ids.js";
import type { ActiveCheck } from "./context.js";
import type { CheckInfo } from "./model.js";
import { PASSIVE_CHECKS } from "./passive.js";

export const ACTIVE_CHECKS: ActiveCheck[] = [
  listPagination,
  listCompleteness,
  authRequired,
  unknownIdsNotFound,
  negativeDataRejection,
  lifecycleRules,
  lifecycleModel,
];

export function allChecks(): CheckInfo[] {
  return [...ACTIVE_CHECKS, ...Object.values(PASSIVE_CHECKS)];
}
