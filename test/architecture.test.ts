/**
 * The boundaries between the rooms of src/, checked rather than hoped for (see
 * ../shared/ARCHITECTURE.md): data flows docs -> contract -> (checks | load) over a target
 * -> results -> reports, and only the composition roots (cli/, mutation/, and the package's
 * entries api/ and vitest/) know both the checks and the reference server. No room imports
 * an entry: the CLI, the library API (`tickets-api-harness`) and the vitest entry
 * (`tickets-api-harness/vitest`) each put the rooms together on their own.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/cli.js";

const SRC = join(ROOT, "src");

interface Import {
  /** The importing file, relative to src/. */
  from: string;
  /** The imported file, relative to src/ (or `contracts/...`, or a package name). */
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every static and dynamic import and re-export of every file under src/. */
function imports(): Import[] {
  const pattern =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/g;
  return sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    return [...text.matchAll(pattern)].map((match) => {
      const specifier = (match[3] ?? match[4]) as string;
      const to = specifier.startsWith(".")
        ? relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, ".ts")
        : specifier;
      return { from: relative(SRC, file), to, typeOnly: match[2] !== undefined };
    });
  });
}

/** The room of a path under src/: its first folder. */
const roomOf = (path: string): string =>
  path.includes("/") ? (path.split("/")[0] as string) : path;
const ALL = imports();
const local = ALL.filter((edge) => !edge.to.startsWith("..") && edge.to.endsWith(".ts"));
const fromRoom = (room: string) => local.filter((edge) => roomOf(edge.from) === room);
const show = (edges: Import[]) => edges.map((edge) => `${edge.from} -> ${edge.to}`);
/** What the package's users start from: the CLI, the library API, the vitest entry. */
const ENTRIES = ["cli", "api", "vitest"];

describe("the rooms of src/", () => {
  it("reads the imports (a sanity check of the reader itself)", () => {
    expect(local.length).toBeGreaterThan(100);
    expect(show(local)).toContain("checks/session.ts -> target/index.ts");
  });

  it("has every file in a room", () => {
    const loose = sourceFiles(SRC)
      .map((file) => relative(SRC, file))
      .filter((file) => !file.includes("/"));
    expect(loose).toEqual([]);
  });

  for (const room of ["checks", "target", "load"]) {
    it(`${room}/ imports neither reference/ nor an entry: it never knows which server it tests`, () => {
      const edges = fromRoom(room).filter((edge) =>
        ["reference", ...ENTRIES].includes(roomOf(edge.to)),
      );
      expect(show(edges)).toEqual([]);
    });
  }

  it("only the composition roots (cli/, mutation/, api/, vitest/) import reference/ from outside it", () => {
    const edges = local.filter(
      (edge) =>
        roomOf(edge.to) === "reference" &&
        !["reference", "mutation", ...ENTRIES].includes(roomOf(edge.from)),
    );
    expect(show(edges)).toEqual([]);
  });

  for (const entry of ENTRIES) {
    it(`nothing imports ${entry}/ but ${entry}/ itself`, () => {
      const edges = local.filter(
        (edge) => roomOf(edge.to) === entry && roomOf(edge.from) !== entry,
      );
      expect(show(edges)).toEqual([]);
    });
  }

  it("only vitest/ imports vitest: it is an optional peer dependency of the package", () => {
    const edges = ALL.filter(
      (edge) => /^vitest(\/|$)/.test(edge.to) && roomOf(edge.from) !== "vitest",
    );
    expect(show(edges)).toEqual([]);
  });

  it("api/ only re-exports: the library API is a list of what the rooms offer, no logic", () => {
    for (const file of sourceFiles(join(SRC, "api"))) {
      const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      const statements = code
        .split(";")
        .map((statement) => statement.trim())
        .filter(Boolean);
      expect(
        statements.filter((statement) => !/^export\s[\s\S]*\sfrom\s+"[^"]+"$/.test(statement)),
        relative(SRC, file),
      ).toEqual([]);
    }
  });

  it("report/ reads the checks' result types and nothing else of them", () => {
    const edges = fromRoom("report").filter(
      (edge) =>
        roomOf(edge.to) === "checks" &&
        !(edge.typeOnly && ["checks/model.ts", "checks/results.ts"].includes(edge.to)),
    );
    expect(show(edges)).toEqual([]);
  });

  it("report/ sends nothing: it imports neither the client nor the target", () => {
    const edges = fromRoom("report").filter((edge) =>
      ["client", "target"].includes(roomOf(edge.to)),
    );
    expect(show(edges)).toEqual([]);
  });

  it("contract/ imports only utilities (and the generated types)", () => {
    const edges = fromRoom("contract").filter(
      (edge) => !["contract", "util"].includes(roomOf(edge.to)),
    );
    expect(show(edges)).toEqual([]);
  });

  it("target/ builds on the client, the contract, the config and utilities only", () => {
    const allowed = ["target", "client", "contract", "config", "util"];
    const edges = fromRoom("target").filter((edge) => !allowed.includes(roomOf(edge.to)));
    expect(show(edges)).toEqual([]);
  });

  it("client/ knows no room above it", () => {
    const edges = fromRoom("client").filter(
      (edge) => !["client", "util"].includes(roomOf(edge.to)),
    );
    expect(show(edges)).toEqual([]);
  });
});
