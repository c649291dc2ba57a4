/**
 * The package as a team gets it: `npm pack`, then a fresh project that installs the tarball
 * offline from npm's cache (see consumer.ts) and uses it the four ways the README shows:
 * `npx tickets-harness check` with a config file, `npx tickets-harness serve`, one vitest
 * file with the `tickets-api-harness/vitest` entry, and a script on the library API, typed.
 * It also runs the composite action's steps (action.yml) as a runner would. Every server
 * listens on 127.0.0.1; every command is bounded and its process group killed in afterAll.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allChecks } from "../../src/checks/registry.js";
import { type CliChild, type CliExit, killCliChildren, ROOT } from "../support/cli.js";
import { writeConsumerProject } from "./consumer.js";
import { readAction, runAction } from "./github-action.js";
import { run, start, userEnv } from "./processes.js";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const NAME: string = pkg.name;
const STEP_MS = 60_000;

let dir: string;
let files: string[];

/** A command in the team's project, as its shell runs it. */
const inProject = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(command, args, { cwd: dir, env: userEnv(env), timeoutMs: STEP_MS });
const said = (ran: CliExit) => `exit ${ran.code ?? ran.signal}\n${ran.stdout}\n${ran.stderr}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tickets-harness-package-"));
  // --ignore-scripts: dist/ is built already (the global setup builds it when a source is
  // newer), and prepack would rebuild it under the other test files' feet.
  const packed = await run(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", dir],
    {
      cwd: ROOT,
      env: userEnv(),
      timeoutMs: 30_000,
    },
  );
  expect(packed.code, said(packed)).toBe(0);
  const [result] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  files = (result?.files ?? []).map((file) => file.path);
  writeConsumerProject(dir, result?.filename as string, ["vitest", "typescript", "@types/node"]);
  const installed = await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], {
    cwd: dir,
    env: userEnv(),
    timeoutMs: 90_000,
  });
  expect(installed.code, said(installed)).toBe(0);
  writeFileSync(
    join(dir, "tickets-harness.config.json"),
    `${JSON.stringify({ $schema: `./node_modules/${NAME}/tickets-harness.config.schema.json`, runs: 5 }, null, 2)}\n`,
  );
}, 150_000);

afterAll(() => {
  killCliChildren();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds what the package needs at run time", () => {
    for (const file of [
      "LICENSE",
      "README.md",
      "package.json",
      "tickets-harness.config.schema.json",
      "contracts/openapi.json",
      "contracts/types.d.ts",
      "contracts/schemas/TicketDetails.schema.json",
      "contracts/source/tickets-api.txt",
      "contracts/source/PROFILE.md",
      "dist/src/cli/main.js",
      "dist/src/api/index.js",
      "dist/src/api/index.d.ts",
      "dist/src/vitest/index.js",
      "dist/src/vitest/index.d.ts",
      "dist/contracts/types.d.ts",
      "dist/scenarios/list-default.js",
      "src/report/page/page.css",
      "src/report/bench/bench.css",
      "src/report/bench/charts.js",
    ]) {
      expect(files).toContain(file);
    }
  });

  it("holds nothing else: no tests, benchmarks, scripts, TypeScript sources or source maps", () => {
    const extra = files.filter(
      (file) =>
        /^(test|bench|scripts|docs|reports|node_modules|dist\/(test|bench|scripts))\//.test(file) ||
        /\.map$/.test(file) ||
        (/\.ts$/.test(file) && !/\.d\.ts$/.test(file)) ||
        (file.startsWith("src/") && !/\.(css|js)$/.test(file)),
    );
    expect(extra).toEqual([]);
  });

  it("builds before packing, not on the user's install, and maps its entries to files it holds", () => {
    const packaged = JSON.parse(
      readFileSync(join(dir, "node_modules", NAME, "package.json"), "utf8"),
    );
    expect(packaged.scripts.prepack).toBe("npm run build");
    for (const hook of ["prepare", "preinstall", "install", "postinstall"]) {
      expect(packaged.scripts[hook], hook).toBeUndefined();
    }
    expect(packaged.peerDependenciesMeta?.vitest?.optional).toBe(true);
    const targets = [
      packaged.bin["tickets-harness"],
      packaged.types,
      ...[".", "./vitest"].flatMap((entry) => Object.values(packaged.exports[entry])),
    ].map((path: string) => path.replace(/^\.\//, ""));
    expect(targets.filter((path) => !files.includes(path))).toEqual([]);
  });
});

describe("a team's project with the tarball installed", () => {
  it(
    "npx tickets-harness check, with a config file whose $schema is the README's, passes against the embedded server and writes the reports",
    async () => {
      const config = JSON.parse(readFileSync(join(dir, "tickets-harness.config.json"), "utf8"));
      expect(existsSync(join(dir, config.$schema)), config.$schema).toBe(true);
      const checked = await inProject("npx", ["tickets-harness", "check"]);
      expect(checked.code, said(checked)).toBe(0);
      expect(checked.stdout).toContain("the embedded reference server");
      const runs = readdirSync(join(dir, "reports"));
      expect(runs).toHaveLength(1);
      const reports = join(dir, "reports", runs[0] as string);
      expect(readdirSync(reports).sort()).toEqual(
        ["journal.json", "junit.xml", "report.html", "results.json", "summary.md"].sort(),
      );
      const results = JSON.parse(readFileSync(join(reports, "results.json"), "utf8"));
      expect([results.verdict, results.runs]).toEqual(["pass", 5]);
    },
    STEP_MS,
  );

  it(
    "one vitest file with the tickets-api-harness/vitest entry: one test per check, all passing",
    async () => {
      mkdirSync(join(dir, "test"), { recursive: true });
      writeFileSync(
        join(dir, "test", "tickets-api.conformance.test.ts"),
        `import { describeConformance } from "${NAME}/vitest";\n\ndescribeConformance();\n`,
      );
      const tested = await inProject("npx", [
        "vitest",
        "run",
        "--reporter=json",
        "--outputFile=vitest-results.json",
      ]);
      expect(tested.code, said(tested)).toBe(0);
      const results = JSON.parse(readFileSync(join(dir, "vitest-results.json"), "utf8"));
      const tests = (
        results.testResults as { assertionResults: { title: string; status: string }[] }[]
      )
        .flatMap((file) => file.assertionResults)
        .map((test) => [test.title, test.status]);
      expect(tests).toEqual([
        ["completes", "passed"],
        ...allChecks().map((check) => [`${check.id}: ${check.title}`, "passed"]),
      ]);
    },
    STEP_MS,
  );

  it(
    "a script on the library API starts the reference server, creates the client and gets a 200",
    async () => {
      writeFileSync(
        join(dir, "smoke.mjs"),
        `import { ContractValidator, createTicketsClient, DEV_API_KEY, startReferenceServer } from "${NAME}";

const server = await startReferenceServer({ host: "127.0.0.1", port: 0, tickets: 50 });
const client = createTicketsClient({ baseUrl: server.url, apiKey: DEV_API_KEY });
try {
  const { response } = await client.listTicketDetails({ status: "pending", pageSize: 2 });
  const { ok } = ContractValidator.load().validateResponse("listTicketDetails", response.status, response.json);
  console.log(JSON.stringify({ url: server.url, status: response.status, items: response.json.length, ok }));
} finally {
  await client.close();
  await server.close();
}
`,
      );
      const ran = await inProject("node", ["smoke.mjs"]);
      expect(ran.code, said(ran)).toBe(0);
      const seen = JSON.parse(ran.stdout);
      expect(seen).toMatchObject({ status: 200, items: 2, ok: true });
      expect(seen.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    },
    STEP_MS,
  );

  it(
    "TypeScript finds the package's types: real uses compile, and their mistakes do not",
    async () => {
      writeFileSync(
        join(dir, "tsconfig.json"),
        `${JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ["node"],
          },
          files: ["typed.ts"],
        })}\n`,
      );
      // Each @ts-expect-error is an error only where the types are real: were any of them
      // lost (an `any`), the directive would be unused, and that is an error too.
      writeFileSync(
        join(dir, "typed.ts"),
        `import { createTicketsClient, loadConfig, type RunReport, runConformance, startReferenceServer, type TicketDetails } from "${NAME}";
import { describeConformance } from "${NAME}/vitest";

const server = await startReferenceServer({ host: "127.0.0.1", port: 0 });
const client = createTicketsClient({ baseUrl: server.url });
const page = await client.listTicketDetails({ status: "pending", pageSize: 2 });
const tickets: TicketDetails[] | undefined = page.response?.json;
// @ts-expect-error: the list needs a status
await client.listTicketDetails({ pageSize: 2 });
const report: RunReport = await runConformance({ config: loadConfig() });
// @ts-expect-error: a run's verdict is pass, fail or incomplete
const verdict: "maybe" = report.verdict;
describeConformance({ baseUrl: server.url, reportDir: "reports/vitest" });
// @ts-expect-error: not an option of the vitest entry
describeConformance({ runs: 3 });
console.log(tickets, verdict);
`,
      );
      const compiled = await inProject("npx", ["tsc", "-p", "."]);
      expect(compiled.code, said(compiled)).toBe(0);
    },
    STEP_MS,
  );

  it(
    "a SIGTERM to npx alone (npm does not pass it on) stops the server npx started",
    async () => {
      const serve = ["serve", "--host", "127.0.0.1", "--port", "0", "--tickets", "100"];
      const server = start("npx", ["tickets-harness", ...serve], {
        cwd: dir,
        env: userEnv(),
        timeoutMs: 30_000,
      });
      const url = (await server.line(/^listening on /)).replace(/^listening on /, "").trim();
      process.kill(server.child.pid as number, "SIGTERM");
      const answers = async () =>
        fetch(url).then(
          () => true,
          () => false,
        );
      let alive = true;
      for (let i = 0; i < 40 && alive; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        alive = await answers();
      }
      expect(alive, "the server still answers 10 s after npx ended").toBe(false);
      expect(server.stderr()).toContain("npx, which started this command, has ended: stopping");
    },
    STEP_MS,
  );

  describe("npx tickets-harness serve, and the GitHub Action's steps against it", () => {
    const KEY = "package-test-key";
    let server: CliChild;
    let url: string;

    beforeAll(async () => {
      const serve = ["serve", "--host", "127.0.0.1", "--port", "0", "--tickets", "5000"];
      server = start("npx", ["tickets-harness", ...serve, "--fault", "create-answers-201"], {
        cwd: dir,
        env: userEnv({ TICKETS_API_KEY: KEY }),
        timeoutMs: 30_000,
      });
      const line = await server.line(/^listening on /);
      url = line.replace(/^listening on /, "").trim();
    }, 40_000);

    afterAll(async () => {
      server?.signal("SIGTERM");
      await server?.exited(10_000).catch(() => undefined); // killed if it lingers
    }, 15_000);

    it("listens on 127.0.0.1 and answers a GET with the key (and 401 without it)", async () => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const list = `${url}/api/v1/tickets/details?status=pending&pageSize=1`;
      const answer = await fetch(list, { headers: { authorization: KEY } });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toHaveLength(1);
      expect((await fetch(list)).status).toBe(401);
    });

    it(
      "the Action's steps: the broken rule fails the check, the summary and the upload still happen, the action ends with exit 1",
      async () => {
        const action = await runAction(readAction(), {
          inputs: { "base-url": url, "report-dir": "reports/action", args: "--budget 120" },
          cwd: dir,
          env: userEnv({ TICKETS_API_KEY: KEY }),
          timeoutMs: STEP_MS,
        });
        const [check, summary, upload, verdict] = action.steps;
        const reports = join(dir, "reports", "action");
        expect(check?.code, check?.output).toBe(0);
        expect(action.outputs.check).toEqual({ "report-dir": reports, "exit-code": "1" });
        const results = JSON.parse(readFileSync(join(reports, "results.json"), "utf8"));
        expect(results.target.baseUrl).toBe(url);
        expect(
          results.checks
            .filter((each: { verdict: string }) => each.verdict === "fail")
            .map((each: { id: string }) => each.id),
        ).toContain("status_code_conformance");
        expect(summary?.code).toBe(0);
        expect(action.summary).toBe(readFileSync(join(reports, "summary.md"), "utf8"));
        expect(action.summary).toContain("status_code_conformance");
        expect(upload?.ran).toBe(true);
        expect(action.uses).toEqual([
          {
            uses: "actions/upload-artifact@v4",
            with: { name: "tickets-api-conformance", path: reports, "if-no-files-found": "warn" },
          },
        ]);
        expect([verdict?.code, action.code]).toEqual([1, 1]);
      },
      STEP_MS,
    );
  });
});
