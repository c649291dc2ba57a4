/**
 * Where the docs and PROFILE.md leave a choice open, a check does not expect one side: it
 * learns the target's choice from the first answer that shows it, then holds the target to
 * it (the same choice every time). This is the run's memory of those choices, shared by
 * the checks of one session.
 */

import type { LearnedChoice } from "./results.js";

export interface Learned {
  value: string;
  /** The step that showed it first, for the failure message. */
  where: string;
  /** What the docs and PROFILE.md say (or do not) that leaves it open. */
  open?: string;
}

export class TargetChoices {
  private readonly learned = new Map<string, Learned>();

  /**
   * The first call for `choice` learns `value`; later calls with another value return what
   * was learned (the inconsistency), the same value returns undefined.
   */
  hold(choice: string, value: string, where: string, open?: string): Learned | undefined {
    const earlier = this.learned.get(choice);
    if (!earlier) {
      this.learned.set(choice, { value, where, ...(open ? { open } : {}) });
      return undefined;
    }
    return earlier.value === value ? undefined : earlier;
  }

  /** What was learned for `choice`, if anything yet. */
  get(choice: string): Learned | undefined {
    return this.learned.get(choice);
  }

  /** Every choice learned, in the order learned: results.json's `choices`. */
  list(): LearnedChoice[] {
    return [...this.learned].map(([name, { value, where, open }]) => ({
      name,
      side: value,
      where,
      ...(open ? { open } : {}),
    }));
  }
}
