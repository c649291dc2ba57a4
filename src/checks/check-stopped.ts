/**
 * Ends one check, not the run: a request of the check got no answer (after its retries), or
 * was not sent. The check cannot go on without it; the runner notes why and the next check
 * runs. (RunStopped, in util/, ends the run.)
 */
export class CheckStopped extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckStopped";
  }
}
