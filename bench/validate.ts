/**
 * bench:validate — the cost of validating a 100-item details page against the cost of
 * JSON.parse of the same page, measured in one run. Each round parses (and validates)
 * fresh copies of many distinct pages of one workspace, as a run reading a real list would,
 * so no string or verdict is reused more than real traffic reuses it. The validation cost
 * is (parse + validate) - parse, timed interleaved so the ratio holds on a noisy machine.
 * Goal: validation costs less than half of the parse.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { faker } from "@faker-js/faker";
import { ContractValidator } from "../src/contract/validator.js";
import { packageRoot } from "../src/util/package-root.js";
import { detailsPage, makeWorkspace } from "./details-page.js";

const ROUNDS = 25;
const PAGES = 60;
const PAGE_SIZE = 100;

function microsPerPage(texts: string[], run: (text: string) => void): number {
  const start = process.hrtime.bigint();
  for (const text of texts) run(text);
  return Number(process.hrtime.bigint() - start) / texts.length / 1e3;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const validator = ContractValidator.load();
faker.seed(20261127);
const workspace = makeWorkspace(faker);
const texts = Array.from({ length: PAGES }, () =>
  JSON.stringify(detailsPage(faker, workspace, PAGE_SIZE)),
);
const check = validator.validateResponse("listTicketDetails", 200, JSON.parse(texts[0] as string));
if (!check.ok || check.warnings.length > 0) {
  throw new Error(
    `the sample page is not clean: ${[...check.failures, ...check.warnings][0]?.message}`,
  );
}

const parseOnly = (text: string) => JSON.parse(text);
const parseAndValidate = (text: string) =>
  validator.validateResponse("listTicketDetails", 200, JSON.parse(text));
microsPerPage(texts, parseAndValidate); // warm-up: compile and optimize both paths
const parseTimes: number[] = [];
const bothTimes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  parseTimes.push(microsPerPage(texts, parseOnly));
  bothTimes.push(microsPerPage(texts, parseAndValidate));
}
const parseMicros = median(parseTimes);
const validateMicros = Math.max(0, median(bothTimes) - parseMicros);
const ratio = validateMicros / parseMicros;
const bytes = Math.round(
  texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / texts.length,
);
const figures = {
  benchmark: "validate",
  measuredAt: new Date().toISOString(),
  node: process.version,
  page: { items: PAGE_SIZE, averageBytes: bytes, distinctPages: PAGES },
  rounds: ROUNDS,
  jsonParseMicros: Number(parseMicros.toFixed(1)),
  validateMicros: Number(validateMicros.toFixed(1)),
  ratio: Number(ratio.toFixed(3)),
  goal: "ratio < 0.5",
  goalMet: ratio < 0.5,
};
const outDir = join(packageRoot(), "reports", "bench");
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, "validate.json");
writeFileSync(outFile, `${JSON.stringify(figures, null, 2)}\n`);
console.log(
  `page: ${PAGE_SIZE} ticket details, ~${bytes} bytes, ${PAGES} distinct pages per round`,
);
console.log(
  `JSON.parse:         ${figures.jsonParseMicros} µs per page (median of ${ROUNDS} rounds)`,
);
console.log(
  `validate (ajv):     ${figures.validateMicros} µs per page ((parse + validate) - parse)`,
);
console.log(
  `ratio validate/parse: ${figures.ratio} (goal < 0.5: ${figures.goalMet ? "met" : "NOT met"})`,
);
console.log(`figures written to ${outFile}`);
