/**
 * Finds the dashboard's page files: the built-in pages shipped with huitou, then the project's
 * own `pages/` (a project file with the same path replaces the built-in one). A file's path is
 * its route (`retention.md` → `/retention/`, `campaigns/index.md` → `/campaigns/`), and a
 * bracketed name (`campaigns/[campaign_id].md`) is a template, one page per linked value.
 */
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export interface PageFile {
  /** Absolute path. */
  path: string;
  /** Path shown in errors: relative to the project, or `<huitou>/pages/...` for built-ins. */
  display: string;
  /** Path inside pages/, with forward slashes. */
  key: string;
  /** `/retention/`, or `/campaigns/[campaign_id]/` for a template. */
  route: string;
  /** The template parameter's name, for `[name].md`. */
  param?: string;
}

async function markdownFiles(dir: string): Promise<string[]> {
  let items: import("node:fs").Dirent[];
  try {
    items = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const item of items) {
    const path = join(dir, item.name);
    if (item.isDirectory()) out.push(...(await markdownFiles(path)));
    else if (item.name.endsWith(".md")) out.push(path);
  }
  return out;
}

/** The route of a page key: `index.md` → `/`, `a/b.md` → `/a/b/`. */
export function routeOf(key: string): string {
  const parts = key.replace(/\.md$/, "").split("/");
  if (parts[parts.length - 1] === "index") parts.pop();
  return parts.length === 0 ? "/" : `/${parts.join("/")}/`;
}

/** Page files by key; the project's override the built-in ones. */
export async function discoverPages(builtInDir: string, projectDir: string): Promise<PageFile[]> {
  const byKey = new Map<string, PageFile>();
  const projectPages = join(projectDir, "pages");
  for (const [dir, display] of [
    [builtInDir, (key: string) => `<huitou>/pages/${key}`],
    [projectPages, (key: string) => relative(projectDir, join(projectPages, key)).split(sep).join("/")],
  ] as const) {
    for (const path of await markdownFiles(dir)) {
      const key = relative(dir, path).split(sep).join("/");
      const param = /\[([A-Za-z_][\w]*)\]\.md$/.exec(key)?.[1];
      byKey.set(key, { path, display: display(key), key, route: routeOf(key), param });
    }
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** For a template route `/campaigns/[campaign_id]/` and a site path, the parameter value, if it matches. */
export function matchTemplate(route: string, pathname: string): string | undefined {
  const at = route.indexOf("[");
  const prefix = route.slice(0, at);
  if (!pathname.startsWith(prefix)) return undefined;
  const rest = pathname.slice(prefix.length).replace(/\/$/, "");
  if (!rest || rest.includes("/")) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}
