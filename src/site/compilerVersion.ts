/**
 * The version of everything that turns a page and its query results into a compiled page, for
 * the page cache's key (pageCache.ts): the site code itself (src/site, every file), the
 * installed packages that draw and format (the lockfile), and the runtime's own formatting
 * data (Node's ICU and Unicode versions, the time zone). Editing a component, a chart or a
 * translation therefore recompiles every page.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { hashOf } from "./pageCache.ts";

const SITE_DIR = fileURLToPath(new URL("./", import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * A hash of the compiler's code, its drawing packages and the runtime's formatting data
 * (the folders are parameters for tests only).
 */
export async function compilerVersion(siteDir = SITE_DIR, packageRoot = PACKAGE_ROOT): Promise<string> {
  const files = (await readdir(siteDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const code = await Promise.all(files.map(async (file) => [relative(siteDir, file), await readFile(file)]));
  return hashOf(
    code.map(([name, body]) => [name, hashOf(String(body))]),
    await firstOf([join(packageRoot, "package-lock.json"), join(packageRoot, "package.json")]),
    process.versions.node,
    process.versions.icu ?? null,
    process.versions.unicode ?? null,
    Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
}

/** The text of the first of `paths` that exists (an installed package has no lockfile). */
async function firstOf(paths: string[]): Promise<string | null> {
  for (const path of paths) {
    try {
      return await readFile(path, "utf8");
    } catch {
      // try the next
    }
  }
  return null;
}
