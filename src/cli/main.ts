#!/usr/bin/env node
/**
 * The entry point. Ctrl-C and SIGTERM are taken before anything else loads, so that even an
 * interrupt in the first instant ends with a message and exit 3; what the process prints
 * passes through the key redaction first. Then the commands load.
 */
import { redactSecrets } from "../util/redaction.js";
import { installStopSignals } from "./stop-signals.js";

installStopSignals();
for (const name of ["log", "error", "warn", "info"] as const) {
  const print = console[name].bind(console);
  console[name] = (...args: unknown[]) =>
    print(...args.map((arg) => (typeof arg === "string" ? redactSecrets(arg) : arg)));
}
const { main } = await import("./program.js");
process.exitCode = await main(process.argv.slice(2));
