/**
 * Every check, registered in one place: the active ones in the order they run (read-only
 * ones first at run time), then the passive ones. A check's id is its name everywhere:
 * in the code that raises it, the flags, the config and every report.
 */

import { acceptedBoundaries } from "./active/accepted-boundaries.js";
import { authRequired } from "./active/auth.js";
import { lifecycleConcurrency } from "./active/concurrency/index.js";
import { lifecycleModel, lifecycleRules } from "./active/lifecycle/index.js";
import { listCompleteness, listPagination } from "./active/list-properties.js";
import { listSearch } from "./active/list-search.js";
import { negativeDataRejection } from "./active/negative-data.js";
import { unknownIdsNotFound } from "./active/unknown-ids.js";
import { unlistedInputHeld } from "./active/unlisted-input.js";
import type { ActiveCheck } from "./context.js";
import type { CheckInfo } from "./model.js";
import { PASSIVE_CHECKS } from "./passive/index.js";

export const ACTIVE_CHECKS: ActiveCheck[] = [
  listPagination,
  listCompleteness,
  listSearch,
  authRequired,
  unknownIdsNotFound,
  negativeDataRejection,
  acceptedBoundaries,
  unlistedInputHeld,
  lifecycleRules,
  lifecycleModel,
  lifecycleConcurrency,
];

export { PASSIVE_CHECKS };

export function allChecks(): CheckInfo[] {
  return [...ACTIVE_CHECKS, ...PASSIVE_CHECKS];
}
