/**
 * Watching the project's folders for `huitou dev`: fs.watch (recursive, as Linux has it since
 * Node 20) on models/, seeds/, sources/, macros/, pages/ and the project file, with edits
 * gathered for a quiet moment (editors write a file in several steps) and delivered as one
 * batch of project-relative paths. Editor scratch files are ignored.
 */
import { existsSync, type FSWatcher, watch } from "node:fs";
import { join } from "node:path";
import { PROJECT_FILE } from "../engine/project.ts";

export const WATCHED = ["models", "seeds", "sources", "macros", "pages"];

/** Whether a file name is an editor's scratch file (swap, backup, lock), not a real edit. */
export function isScratch(path: string): boolean {
  const name = path.split("/").at(-1) ?? "";
  return /^\.|~$|^#.*#$|\.swp$|\.swx$|\.tmp$|^4913$/.test(name);
}

/** Calls `onBatch` with the paths edited under `projectDir`, `quietMs` after the last edit. */
export function watchProject(
  projectDir: string,
  onBatch: (paths: string[]) => void,
  quietMs = 150,
): { close(): void } {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const note = (path: string) => {
    if (isScratch(path)) return;
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const batch = [...pending].sort();
      pending.clear();
      onBatch(batch);
    }, quietMs);
  };
  const watchers: FSWatcher[] = [];
  for (const folder of WATCHED) {
    const dir = join(projectDir, folder);
    if (!existsSync(dir)) continue;
    watchers.push(
      watch(dir, { recursive: true }, (_event, name) => {
        if (name) note(`${folder}/${String(name).replaceAll("\\", "/")}`);
      }),
    );
  }
  watchers.push(
    watch(projectDir, (_event, name) => {
      if (name === PROJECT_FILE) note(PROJECT_FILE);
    }),
  );
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
