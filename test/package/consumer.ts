/**
 * A team's fresh project that depends on the packed tarball, laid out for `npm ci --offline`.
 *
 * Why not `npm install --offline <tarball> vitest`: npm 11 resolves what it installs anew
 * from full packuments, and `npm ci` caches only the abbreviated ones it reads, so that
 * install finds nothing in the cache (ENOTCACHED). The project gets instead the lockfile
 * that install would write: the tarball, then this repository's lockfile entries for the
 * tarball's dependencies and the dev tools named (vitest, ...), at the same versions and
 * places, closed over their own dependencies. Every one of them is in the cache, since
 * `npm ci` just installed them here.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/cli.js";

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));

export function writeConsumerProject(dir: string, tarball: string, devTools: string[]): void {
  const pkg = readJson(join(ROOT, "package.json"));
  const ours: Record<string, LockEntry> = readJson(join(ROOT, "package-lock.json")).packages;
  const kept = new Map<string, LockEntry>();
  const queue: string[] = [];
  const want = (from: string, names: string[]) => {
    for (const name of names) {
      const path = resolveIn(ours, from, name);
      // An optional peer nothing installed is absent: npm would not install it either.
      if (path === undefined || kept.has(path)) continue;
      kept.set(path, ours[path] as LockEntry);
      queue.push(path);
    }
  };
  const devDependencies = Object.fromEntries(
    devTools.map((name) => [name, ours[`node_modules/${name}`]?.version as string]),
  );
  want("", [...Object.keys(pkg.dependencies), ...devTools]);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const entry = ours[path] as LockEntry;
    want(
      path,
      Object.keys({
        ...entry.dependencies,
        ...entry.optionalDependencies,
        ...entry.peerDependencies,
      }),
    );
  }
  const file = `file:${tarball}`;
  const root = {
    name: "team-project",
    version: "1.0.0",
    dependencies: { [pkg.name]: file },
    devDependencies,
  };
  const lock = {
    name: root.name,
    version: root.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": root,
      [`node_modules/${pkg.name}`]: {
        version: pkg.version,
        resolved: file,
        integrity: `sha512-${createHash("sha512")
          .update(readFileSync(join(dir, tarball)))
          .digest("base64")}`,
        license: pkg.license,
        dependencies: pkg.dependencies,
        bin: pkg.bin,
        engines: pkg.engines,
        peerDependencies: pkg.peerDependencies,
        peerDependenciesMeta: pkg.peerDependenciesMeta,
      },
      ...Object.fromEntries([...kept].sort(([a], [b]) => a.localeCompare(b))),
    },
  };
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ ...root, private: true, type: "module" }, null, 2)}\n`,
  );
  writeFileSync(join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
}

/** Where node would find `name` from the package at `from` (a lockfile path; "" the root). */
function resolveIn(
  packages: Record<string, LockEntry>,
  from: string,
  name: string,
): string | undefined {
  for (let at = from; ; at = parentOf(at)) {
    const path = at ? `${at}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[path]) return path;
    if (!at) return undefined;
  }
}

const parentOf = (path: string) => {
  const at = path.lastIndexOf("/node_modules/");
  return at < 0 ? "" : path.slice(0, at);
};
