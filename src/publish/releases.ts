/**
 * The release folders of a deploy target, as pure functions over their names. A release is
 * named `<UTC time>-<run id>` (`20250316T020000Z-8123`), so names sort in deploy order and the
 * run that produced a release can be read off its name.
 */

/** `2025-03-16T02:00:00.123Z` → `20250316T020000Z`: sortable, and safe in every file system. */
export function compactTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replaceAll("-", "").replaceAll(":", "")}Z`;
}

/** The run id as a file-name part: letters, digits, `.`, `_` and `-` only, at most 64 characters. */
export function safeRunId(runId: string): string {
  return runId
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "")
    .slice(0, 64);
}

/** A new release's name, unique among `taken` (a second deploy within the same second gets `-2`). */
export function releaseName(date: Date, runId: string | undefined, taken: ReadonlySet<string>): string {
  const id = runId === undefined ? "" : safeRunId(runId);
  const base = id ? `${compactTime(date)}-${id}` : compactTime(date);
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}~${n}`;
  return name;
}

/** Whether a folder name under releases/ is a release (not a temporary or hidden one). */
export function isRelease(name: string): boolean {
  return /^\d{8}T\d{6}Z/.test(name);
}

/**
 * The releases to delete so that `keep` remain: the oldest first, never the current one (after
 * a rollback the current release is not the newest, and it stays).
 */
export function releasesToPrune(
  names: readonly string[],
  current: string | undefined,
  keep: number,
): string[] {
  const sorted = names.filter(isRelease).sort();
  const kept = new Set(sorted.slice(-keep));
  if (current !== undefined && !kept.has(current) && sorted.includes(current)) {
    // Keep the current release in place of the oldest of the kept ones.
    kept.delete(sorted.filter((name) => kept.has(name))[0] ?? "");
    kept.add(current);
  }
  return sorted.filter((name) => !kept.has(name));
}

/** The release deployed just before `current`, which a rollback returns to. */
export function previousRelease(names: readonly string[], current: string): string | undefined {
  return names
    .filter((name) => isRelease(name) && name < current)
    .sort()
    .at(-1);
}
