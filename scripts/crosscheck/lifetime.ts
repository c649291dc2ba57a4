/**
 * The run's lifetime: what cuts it short (SIGINT, SIGTERM, the deadline), and what is undone
 * on the way out, whichever way it ends.
 */

/** The run could not go on: interrupted, timed out, or a Prism child died. */
export class RunAborted extends Error {}

export interface Lifetime {
  /** `step`, or a RunAborted as soon as a signal comes or the deadline passes. */
  bounded<T>(step: Promise<T>): Promise<T>;
  /** What undoes something started; end() runs these, the last registered first. */
  onEnd(undo: () => Promise<void>): void;
  /** Clears the deadline and undoes everything registered, ignoring what fails. */
  end(): Promise<void>;
}

export function startLifetime(timeoutMs: number): Lifetime {
  const undos: (() => Promise<void>)[] = [];
  const interrupted = new Promise<never>((_, reject) => {
    const onSignal = (signal: string) => reject(new RunAborted(`interrupted (${signal})`));
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    deadline = setTimeout(
      () => reject(new RunAborted(`timed out after ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  // Handled here too, so a signal or the deadline between two steps is no unhandled rejection.
  interrupted.catch(() => {});
  timedOut.catch(() => {});

  return {
    bounded: (step) => Promise.race([step, interrupted, timedOut]),
    onEnd: (undo) => {
      undos.push(undo);
    },
    async end() {
      clearTimeout(deadline);
      for (const undo of undos.splice(0).reverse()) await undo().catch(() => {});
    },
  };
}
