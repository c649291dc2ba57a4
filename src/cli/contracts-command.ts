import { resolve } from "node:path";
import type { Command } from "commander";
import { contractDrift, defaultInputs, writeContract } from "../contract/contract-files.js";
import { ExitCode } from "../util/exit-codes.js";
import { CONTRACTS_DIR } from "../util/package-root.js";

interface InputOptions {
  docs?: string;
  profile?: string;
}

function inputs(options: InputOptions) {
  const defaults = defaultInputs();
  return {
    docsPath: options.docs ? resolve(options.docs) : defaults.docsPath,
    profilePath: options.profile ? resolve(options.profile) : defaults.profilePath,
  };
}

export function registerContractsCommand(program: Command): void {
  const contracts = program
    .command("contracts")
    .description("derive the contract from the vendor's docs, or verify the committed one");

  contracts
    .command("derive")
    .description(
      "parse the docs and write the OpenAPI 3.1 document, one JSON Schema per shape and the TypeScript types",
    )
    .option(
      "--docs <file>",
      "the vendor's API reference, a text export (default: contracts/source/tickets-api.txt)",
    )
    .option(
      "--profile <file>",
      "the profile pinning what the docs leave open (default: contracts/source/PROFILE.md)",
    )
    .option("--out <dir>", "the contract folder to write (default: the package's contracts/)")
    .action((options: InputOptions & { out?: string }) => {
      const outDir = options.out ? resolve(options.out) : CONTRACTS_DIR;
      const written = writeContract(inputs(options), outDir);
      console.log(
        written.length === 0
          ? `contract in ${outDir} is up to date`
          : `wrote ${written.length} file(s) to ${outDir}:\n${written.map((file) => `  ${file}`).join("\n")}`,
      );
    });

  contracts
    .command("verify")
    .description("re-derive from the docs and compare with the committed contract; exit 1 on drift")
    .option("--docs <file>", "the docs to derive from (default: contracts/source/tickets-api.txt)")
    .option("--profile <file>", "the profile to derive with (default: contracts/source/PROFILE.md)")
    .option(
      "--contracts <dir>",
      "the committed contract folder (default: the package's contracts/)",
    )
    .action((options: InputOptions & { contracts?: string }) => {
      const committed = options.contracts ? resolve(options.contracts) : CONTRACTS_DIR;
      const drift = contractDrift(inputs(options), committed);
      if (drift.length === 0) {
        console.log(`contract in ${committed} matches the docs`);
        return;
      }
      console.log(
        `contract drift: ${drift.length} difference(s) between ${committed} and a fresh derivation:`,
      );
      for (const line of drift) console.log(`  ${line}`);
      console.log("run `tickets-harness contracts derive` to update the committed contract");
      process.exitCode = ExitCode.RuleBroken;
    });
}
