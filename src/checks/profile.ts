/**
 * The expectations a run holds a target to: the default profile, with the vendor's
 * overrides from the config (enum values, accepted error statuses, profile checks off).
 */
import type { ProfileOverrides } from "../config/config.js";

export interface EffectiveProfile {
  /** Statuses accepted where the profile says `status` (e.g. 400 -> [400, 422]). */
  accepts(status: number): number[];
  /** Enum values per field, where the vendor's differ from the contract's. */
  enums: Record<string, string[]>;
  /** False when the config switched this profile check off. */
  enabled(checkId: string): boolean;
}

export function effectiveProfile(overrides: ProfileOverrides = {}): EffectiveProfile {
  return {
    accepts: (status) => overrides.acceptedStatuses?.[String(status)] ?? [status],
    enums: overrides.enums ?? {},
    enabled: (checkId) => overrides.rules?.[checkId] !== false,
  };
}
