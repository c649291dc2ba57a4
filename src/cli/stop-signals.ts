/**
 * Ctrl-C and SIGTERM, for every command: the first one asks the running command to stop (it
 * ends its waits, cleans up and writes its reports); before a command runs, or the second
 * time, the process ends at once with exit 3 and one line saying so.
 */
import { ExitCode } from "../util/exit-codes.js";

const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
let stopHandler: ((signal: NodeJS.Signals) => void) | undefined;
let stopping = false;

export function installStopSignals(): void {
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

/**
 * Runs `work` with `stop` as the handler of the first stop signal (it should abort the work,
 * which then ends as usual); restores the default afterwards.
 */
export async function stoppable<T>(
  stop: (signal: NodeJS.Signals) => void,
  work: () => Promise<T>,
): Promise<T> {
  stopHandler = stop;
  try {
    return await work();
  } finally {
    stopHandler = undefined;
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopHandler && !stopping) {
    stopping = true;
    stopHandler(signal);
    return;
  }
  const when = stopping ? "again: quitting at once, without cleanup" : "before any run started";
  console.error(`tickets-harness: interrupted (${signal}) ${when}`);
  process.exit(ExitCode.Incomplete);
}
