import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder holding this package's package.json, from source (vitest) and from dist alike. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("tickets-api-harness: cannot find its own package.json");
    dir = parent;
  }
  return dir;
}

export const CONTRACTS_DIR = join(packageRoot(), "contracts");
