import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/util/package-root.js";

/** Tests run the CLI as users do, from dist/: build it when any source is newer. */
export default function setup(): void {
  const root = packageRoot();
  const built = join(root, "dist", "src", "cli", "main.js");
  const sources = ["src", "bench", "scripts", "scenarios", "contracts"].map((dir) =>
    join(root, dir),
  );
  if (existsSync(built) && newestChange(sources) <= statSync(built).mtimeMs) return;
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}

function newestChange(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    const stat = statSync(path);
    const mtime = stat.isDirectory()
      ? newestChange(readdirSync(path).map((name) => join(path, name)))
      : stat.mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}
