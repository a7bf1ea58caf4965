/**
 * Finds and reads a project's files: models (SQL and TypeScript), seeds, macros, the YAML beside models and seeds,
 * and singular data tests. The only I/O of planning. `tests/` also holds the vitest suite and
 * its fixture projects, so only `.sql` files count there, and nested projects (folders with
 * their own huitou_project.yml), `fixtures/` folders and `target/` folders are skipped.
 */
import { join } from "node:path";
import type { FileSystem } from "./effects.ts";
import { PROJECT_FILE } from "./project.ts";
import type { Project } from "./types.ts";

export interface TextFile {
  /** Project-relative path with `/` separators. */
  file: string;
  /** Its text, with `\r\n` normalized to `\n`. */
  source: string;
}

export interface ProjectFiles {
  models: TextFile[];
  /** TypeScript models (`models/**\/*.ts`, not `.d.ts`): text only; loadPlan imports them. */
  tsModels: TextFile[];
  /** Seeds are read by the database; only their paths are needed here. */
  seeds: string[];
  macros: TextFile[];
  schemas: TextFile[];
  singularTests: TextFile[];
}

/** Reads every file the plan needs. */
export async function readProjectFiles(project: Project, fs: FileSystem): Promise<ProjectFiles> {
  const { paths } = project;
  const read = async (files: string[]): Promise<TextFile[]> =>
    Promise.all(
      files.map(async (file) => ({
        file,
        source: (await fs.readText(join(project.dir, file))).replaceAll("\r\n", "\n"),
      })),
    );
  const modelFiles = await listUnder(project.dir, paths.models, fs);
  const seedFiles = await listUnder(project.dir, paths.seeds, fs);
  return {
    models: await read(modelFiles.filter((file) => file.endsWith(".sql"))),
    tsModels: await read(modelFiles.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))),
    seeds: seedFiles.filter((file) => file.endsWith(".csv")),
    macros: await read(
      (await listUnder(project.dir, paths.macros, fs)).filter((file) => file.endsWith(".sql")),
    ),
    schemas: await read([...modelFiles, ...seedFiles].filter((file) => /\.ya?ml$/.test(file))),
    singularTests: await read(
      (await listUnder(project.dir, paths.tests, fs)).filter((file) => file.endsWith(".sql")),
    ),
  };
}

/** Project-relative files under each folder, minus nested projects, fixtures and build output. */
async function listUnder(dir: string, folders: string[], fs: FileSystem): Promise<string[]> {
  const out = new Set<string>();
  for (const folder of folders) {
    const files = await fs.list(join(dir, folder));
    const nested = files
      .filter((file) => file === PROJECT_FILE || file.endsWith(`/${PROJECT_FILE}`))
      .map((file) => file.slice(0, -PROJECT_FILE.length));
    for (const file of files) {
      if (nested.some((prefix) => file.startsWith(prefix))) continue;
      if (/(^|\/)(fixtures|target|node_modules|\.[^/]*)\//.test(file) || /(^|\/)\./.test(file)) continue;
      out.add(`${folder}/${file}`);
    }
  }
  return [...out].sort();
}
