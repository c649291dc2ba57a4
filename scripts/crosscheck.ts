/**
 * `npm run crosscheck`: a third-party check of the embedded reference server against the
 * derived OpenAPI document, with Stoplight Prism's validation proxy in front of it.
 *
 * Two `prism proxy` children validate every exchange against contracts/openapi.json:
 * - `errors` (`--errors`): a response violation turns into Prism's own 500, and a request
 *   Prism finds invalid (or without the `authorization` header) is answered by Prism itself
 *   (422, 401) and never reaches the server;
 * - `report` (no `--errors`): everything is forwarded and violations only come back in the
 *   `sl-violations` header. The requests meant to be invalid go through it too, so the
 *   server's own 400 and 401 answers are validated as well.
 * Between Prism and the server sits a pass-through tap that counts what Prism forwarded:
 * whether the server or Prism answered is observed, not guessed.
 *
 * Exit 0 when every exchange got its expected status from the expected answerer with no
 * response violation; 1 otherwise; 3 when the server or Prism could not start, or the run
 * could not complete (timeout, a Prism child died, interrupted).
 *
 * The parts are in crosscheck/: the cases (cases.ts), running them (run.ts), judging an
 * exchange (judge.ts), the Prism children, the tap, the output and the report.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ExitCode } from "../src/util/exit-codes.js";
import { CONTRACTS_DIR, packageRoot } from "../src/util/package-root.js";
import { RunAborted, startLifetime } from "./crosscheck/lifetime.js";
import { printFailures, printTable, printVerdict } from "./crosscheck/print.js";
import { findPrism, killPrismChildren, type PrismInstall } from "./crosscheck/prism.js";
import { summarize, writeReport } from "./crosscheck/report.js";
import { connectClients, type Rig, SEED, startRig, TICKETS } from "./crosscheck/rig.js";
import { countUnanswered, runCases } from "./crosscheck/run.js";

const RUN_TIMEOUT_MS = 120_000;

const USAGE = `usage: npm run crosscheck [-- --fault NAME ...]

Starts the reference server (seed ${SEED}, ${TICKETS} tickets) and two Stoplight Prism validation
proxies in front of it, sends every operation's documented cases through them, prints a table
and writes reports/crosscheck/<timestamp>.json.
  --fault NAME  start the server with this fault of its catalog (repeatable): the run must fail
Exit: 0 all as expected, 1 a case failed or a response broke the contract, 2 usage,
3 the server or Prism could not start, or the run could not complete.`;

/** The options, or the exit code when there is nothing to run (--help, bad usage). */
function parseOptions(argv: string[]): { faults: string[] } | number {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { fault: { type: "string", multiple: true }, help: { type: "boolean" } },
    });
    if (values.help) {
      console.log(USAGE);
      return ExitCode.Ok;
    }
    return { faults: values.fault ?? [] };
  } catch (error) {
    console.error(`crosscheck: ${(error as Error).message}\n\n${USAGE}`);
    return ExitCode.Usage;
  }
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (typeof options === "number") return options;
  const { faults } = options;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const root = packageRoot();
  const document = join(CONTRACTS_DIR, "openapi.json");
  let prism: PrismInstall;
  try {
    prism = findPrism();
  } catch (error) {
    console.error(
      `crosscheck: cannot find Prism (npm ci installs it): ${(error as Error).message}`,
    );
    return ExitCode.Incomplete;
  }

  const lifetime = startLifetime(RUN_TIMEOUT_MS);
  try {
    let rig: Rig;
    try {
      rig = await startRig(prism, document, faults, lifetime);
    } catch (error) {
      console.error(`crosscheck: could not start: ${(error as Error).message}`);
      return ExitCode.Incomplete;
    }
    const startupMs = performance.now() - started;
    const clients = connectClients(rig, lifetime);

    const outcome = await lifetime.bounded(runCases(rig, clients));
    const summary = summarize(outcome);
    const durationMs = performance.now() - started;
    printTable(outcome.results);
    printFailures(outcome.results);
    const reportFile = writeReport({
      root,
      startedAt,
      durationMs,
      startupMs,
      document,
      prism,
      proxies: Object.values(rig.proxies),
      faults,
      outcome,
      summary,
    });
    const ok = summary.failedCases === 0 && summary.stoppedEarly === undefined;
    printVerdict(summary, ok, { prismVersion: prism.version, faults, durationMs, reportFile });

    const unanswered = countUnanswered(outcome);
    if (unanswered > 0) {
      console.error(`crosscheck: ${unanswered} exchange(s) got no answer: the run is incomplete`);
      return ExitCode.Incomplete;
    }
    return ok ? ExitCode.Ok : ExitCode.RuleBroken;
  } catch (error) {
    const message =
      error instanceof RunAborted ? error.message : String((error as Error).stack ?? error);
    console.error(`crosscheck: the run could not complete: ${message}`);
    return ExitCode.Incomplete;
  } finally {
    await lifetime.end();
  }
}

// Last resort: never leave a Prism child behind, whatever ends this process.
process.on("exit", killPrismChildren);

process.exitCode = await main(process.argv.slice(2));
// Lingering handles (keep-alive sockets, chokidar in a dead child's pipes) must not hold the exit.
process.exit();
