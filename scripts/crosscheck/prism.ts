/**
 * The two `prism proxy` children: finding Prism's CLI, starting a child on a free port, keeping
 * its output lines, and killing what is left of them when this process ends.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { stopChild } from "../../src/util/child-process.js";

/**
 * `errors` (`--errors`): Prism answers an invalid request itself and replaces a response that
 * breaks the document with its own 500. `report`: everything is forwarded, and what Prism found
 * only comes back in the `sl-violations` header.
 */
export type ProxyMode = "errors" | "report";

export interface PrismProxy {
  mode: ProxyMode;
  url: string;
  /** Everything the child printed, one entry a line, for the log file beside the report. */
  log: string[];
  /** Set when the child exited, with its code or signal. */
  exited?: string;
  stop(): Promise<void>;
}

export interface PrismInstall {
  /** The CLI's entry script, run with this process's node. */
  bin: string;
  version: string;
}

const START_TIMEOUT_MS = 30_000;

/** The children still running, for killPrismChildren. */
const running = new Set<ChildProcess>();

/** The installed `@stoplight/prism-cli` (a dev dependency); throws when it is not there. */
export function findPrism(): PrismInstall {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("@stoplight/prism-cli/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    version: string;
    bin: { prism: string };
  };
  return { bin: join(dirname(manifestPath), manifest.bin.prism), version: manifest.version };
}

/** Last resort, for process.on("exit"): SIGKILL every child still running. */
export function killPrismChildren(): void {
  for (const child of running) child.kill("SIGKILL");
}

/**
 * `prism proxy <document> <upstream>` on a free port. Resolves once it says where it listens;
 * rejects (and stops it) if it exits or fails before, or is not listening after 30 s.
 */
export function startPrism(
  prism: PrismInstall,
  mode: ProxyMode,
  document: string,
  upstream: string,
): Promise<PrismProxy> {
  const args = ["proxy", document, upstream, "--host", "127.0.0.1", "--port", "0"];
  if (mode === "errors") args.push("--errors");
  const child = spawn(process.execPath, [prism.bin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  running.add(child);
  const proxy: PrismProxy = { mode, url: "", log: [], stop: () => stopChild(child) };
  child.on("exit", (code, signal) => {
    running.delete(child);
    proxy.exited = signal ?? `exit code ${code}`;
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`not listening after ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    function fail(why: string) {
      clearTimeout(timer);
      void stopChild(child);
      const tail = proxy.log.slice(-5).join("\n  ");
      reject(new Error(`prism proxy (${mode}) did not start: ${why}${tail ? `\n  ${tail}` : ""}`));
    }
    const onLine = (line: string) => {
      proxy.log.push(line);
      const listening = /Prism is listening on (http:\/\/\S+)/.exec(line);
      if (listening?.[1] && proxy.url === "") {
        clearTimeout(timer);
        proxy.url = listening[1];
        resolve(proxy);
      }
    };
    readLines(child.stdout, onLine);
    readLines(child.stderr, onLine);
    child.once("error", (error) => fail(error.message));
    child.once("exit", () => {
      if (proxy.url === "") fail(`it exited (${proxy.exited})`);
    });
  });
}

/** Calls onLine with every non-blank line of the stream, trailing spaces trimmed. */
function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void) {
  let partial = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    partial += chunk;
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") onLine(line.trimEnd());
  });
}
