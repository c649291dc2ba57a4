/**
 * The contract folder: `source/` holds the inputs (the vendor's docs and the profile),
 * everything else is derived from them. `derive` writes it; `verify` re-derives and
 * compares with what is committed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CONTRACTS_DIR } from "../util/package-root.js";
import { type DerivedContract, deriveContract } from "./derive.js";
import { describeDifferences, describeOperationDifferences } from "./drift.js";
import type { JsonSchema } from "./json-schema.js";

export const DOCS_FILE = "source/tickets-api.txt";
export const PROFILE_FILE = "source/PROFILE.md";

export interface ContractInputs {
  docsPath: string;
  profilePath: string;
}

export function defaultInputs(dir = CONTRACTS_DIR): ContractInputs {
  return { docsPath: join(dir, DOCS_FILE), profilePath: join(dir, PROFILE_FILE) };
}

export class InputFileError extends Error {
  constructor(what: string, path: string, cause: unknown) {
    const reason =
      (cause as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(cause);
    super(`cannot read the ${what} at ${path}: ${reason}`);
    this.name = "InputFileError";
  }
}

function readInput(what: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new InputFileError(what, path, error);
  }
}

export function deriveFrom(inputs: ContractInputs): {
  contract: DerivedContract;
  docs: string;
  profile: string;
} {
  const docs = readInput("docs", inputs.docsPath);
  const profile = readInput("profile", inputs.profilePath);
  return { contract: deriveContract(docs, profile), docs, profile };
}

/** Writes the derived files and a copy of their inputs under `source/`; returns the paths written. */
export function writeContract(inputs: ContractInputs, outDir: string): string[] {
  const { contract, docs, profile } = deriveFrom(inputs);
  const files = new Map(contract.files);
  files.set(DOCS_FILE, docs);
  files.set(PROFILE_FILE, profile);
  const written: string[] = [];
  for (const [relative, text] of files) {
    const path = join(outDir, relative);
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path) && readFileSync(path, "utf8") === text) continue;
    writeFileSync(path, text);
    written.push(relative);
  }
  return written;
}

/** What a fresh derivation changes against the committed contract, in words; empty when none. */
export function contractDrift(inputs: ContractInputs, committedDir: string): string[] {
  const { contract } = deriveFrom(inputs);
  const committed = readCommitted(committedDir);
  const lines = [
    ...describeDifferences(committed.schemas, contract.schemas),
    ...describeOperationDifferences(committed.openapi, contract.openapi),
  ];
  if (lines.length > 0) return lines;
  // Same meaning, different text: a hand edit or a formatter touched a derived file.
  for (const [relative, text] of contract.files) {
    const path = join(committedDir, relative);
    if (!existsSync(path)) lines.push(`${relative}: missing`);
    else if (readFileSync(path, "utf8") !== text)
      lines.push(`${relative}: differs from a fresh derivation`);
  }
  for (const name of Object.keys(committed.schemas)) {
    if (!contract.files.has(`schemas/${name}.schema.json`))
      lines.push(`schemas/${name}.schema.json: not derived any more`);
  }
  return lines;
}

function readCommitted(dir: string): { schemas: Record<string, JsonSchema>; openapi: unknown } {
  const schemas: Record<string, JsonSchema> = {};
  const schemaDir = join(dir, "schemas");
  if (existsSync(schemaDir)) {
    for (const file of readdirSync(schemaDir)
      .filter((name) => name.endsWith(".schema.json"))
      .sort()) {
      schemas[file.replace(/\.schema\.json$/, "")] = readJson(join(schemaDir, file));
    }
  }
  const openapiPath = join(dir, "openapi.json");
  return { schemas, openapi: existsSync(openapiPath) ? readJson(openapiPath) : undefined };
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new InputFileError("committed contract file", resolve(path), error);
  }
}
