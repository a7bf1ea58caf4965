/**
 * The project file, `huitou_project.yml` (dbt's `dbt_project.yml` shape): name, vars with
 * defaults, folder configs for models, seeds and data tests, and the folder paths. Everything is
 * validated here, with the file position of each problem: a bad project file is a usage error.
 */
import { join } from "node:path";
import { errors } from "../errors.ts";
import { configTree } from "./config.ts";
import type { FileSystem } from "./effects.ts";
import type { Project } from "./types.ts";
import { isRecord, parseYamlFile, type YamlFile } from "./yamlFile.ts";

export const PROJECT_FILE = "huitou_project.yml";

const PATH_KEYS = {
  "model-paths": "models",
  "seed-paths": "seeds",
  "macro-paths": "macros",
  "test-paths": "tests",
} as const;

// Keys of dbt_project.yml that mean nothing here but are harmless to keep.
const TOLERATED = new Set([
  "version",
  "config-version",
  "profile",
  "require-dbt-version",
  "clean-targets",
  "target-path",
  "flags",
  "quoting",
  "query-comment",
  "sources",
]);

/** Reads and validates the project file in `dir` (absolute). */
export async function loadProject(dir: string, fs: FileSystem): Promise<Project> {
  const path = join(dir, PROJECT_FILE);
  if (!(await fs.exists(path))) {
    throw errors.config(
      `no ${PROJECT_FILE} in ${dir}: run huitou inside a project folder or pass --project DIR`,
      { file: PROJECT_FILE },
    );
  }
  return parseProject(dir, await fs.readText(path));
}

/** The pure half of loadProject: validates the text of the project file. */
export function parseProject(dir: string, source: string): Project {
  const yaml = parseYamlFile(PROJECT_FILE, source.replaceAll("\r\n", "\n"));
  const root = yaml.value;
  if (!isRecord(root)) throw yaml.fail("the project file must be a mapping with at least `name:`", []);
  for (const key of Object.keys(root)) {
    const known = ["name", "vars", "models", "seeds", "data_tests", "tests", ...Object.keys(PATH_KEYS)];
    if (!known.includes(key) && !TOLERATED.has(key)) {
      throw yaml.fail(`unknown key '${key}' in the project file; known: ${known.join(", ")}`, [key], true);
    }
  }
  const name = root.name;
  if (typeof name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw yaml.fail(
      "`name` must be set to an identifier (letters, digits, underscores), e.g. name: my_shop",
      ["name"],
    );
  }
  const vars = root.vars ?? {};
  if (!isRecord(vars)) throw yaml.fail("`vars` must be a mapping of name: default value", ["vars"]);
  if (root.tests !== undefined && root.data_tests !== undefined) {
    throw yaml.fail("use either `data_tests:` or `tests:`, not both", ["tests"], true);
  }
  const testsKey = root.data_tests !== undefined ? "data_tests" : "tests";
  return {
    name,
    dir,
    file: PROJECT_FILE,
    vars,
    paths: {
      models: paths(yaml, "model-paths"),
      seeds: paths(yaml, "seed-paths"),
      macros: paths(yaml, "macro-paths"),
      tests: paths(yaml, "test-paths"),
    },
    models: configTree("model", yaml, ["models"]),
    seeds: configTree("seed", yaml, ["seeds"]),
    tests: configTree("test", yaml, [testsKey]),
  };
}

function paths(yaml: YamlFile, key: keyof typeof PATH_KEYS): string[] {
  const value = (yaml.value as Record<string, unknown>)[key];
  if (value === undefined) return [PATH_KEYS[key]];
  const list = typeof value === "string" ? [value] : value;
  if (
    !Array.isArray(list) ||
    !list.every(
      (item) => typeof item === "string" && item !== "" && !item.startsWith("/") && !item.includes(".."),
    )
  ) {
    throw yaml.fail(`\`${key}\` must be a list of folders inside the project, e.g. ["${PATH_KEYS[key]}"]`, [
      key,
    ]);
  }
  return list.map((item: string) => item.replace(/\/+$/, ""));
}
