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
  stopWithNpx();
}

/** How often a command started by npx looks whether npx still runs. */
const PARENT_POLL_MS = 250;

/**
 * Under npx (npm exec, which sets npm_command=exec), a SIGTERM sent to npx is not passed on
 * to the command: npx ends and the command runs on, reparented, a server nobody stops. So
 * a command npx started watches its parent, and when npx has ended, stops as on SIGTERM
 * (cleanup and reports included), unless a stop signal already reached it.
 */
function stopWithNpx(): void {
  if (process.env.npm_command !== "exec") return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    if (stopping) return;
    console.error("tickets-harness: npx, which started this command, has ended: stopping");
    onSignal("SIGTERM");
  }, PARENT_POLL_MS);
  timer.unref();
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
