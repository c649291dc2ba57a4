import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/util/package-root.js";

/**
 * Tests run the CLI as users do, from dist/: build it (`npm run build`, which also puts the
 * contract's types beside the declarations) when any source is newer.
 */
export default function setup(): void {
  const root = packageRoot();
  const built = [
    join(root, "dist", "src", "cli", "main.js"),
    join(root, "dist", "contracts", "types.d.ts"),
  ];
  const sources = ["src", "bench", "scripts", "scenarios", "contracts"].map((dir) =>
    join(root, dir),
  );
  const newest = newestChange(sources);
  const fresh = (file: string) => existsSync(file) && newest <= statSync(file).mtimeMs;
  if (built.every(fresh)) return;
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
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
