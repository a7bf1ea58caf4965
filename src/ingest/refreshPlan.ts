/**
 * Decides what a build does with one source table, from its files as they are now and the
 * register of the files it was loaded from (raw.loaded_files): keep the table as it is (every
 * file unchanged), merge only the new files of an append table, or reload in full, with the
 * reason when a previous version existed. Content hashes are asked for only when sizes cannot
 * tell: the answer `digest` names the files to hash before asking again. Pure.
 */

/** A file of the table as found now; `sha256` once hashed. */
export interface CurrentFile {
  display: string;
  bytes: number;
  sha256?: string;
}

/** A file as raw.loaded_files recorded it. */
export interface RecordedFile {
  file: string;
  bytes: number;
  sha256: string;
  settingsSha256: string;
}

export interface RefreshInput {
  mode: "replace" | "append";
  fullRefresh: boolean;
  /** In name order (the order append files are taken in). */
  files: CurrentFile[];
  /** What the register holds for this table; [] when nothing was loaded before. */
  recorded: RecordedFile[];
  /** raw.<table> exists with the contract's columns and `_loaded_at`. */
  tableReady: boolean;
  /** The fingerprint of the settings the table would be read with now. */
  settingsSha256: string;
  /** A reason to reload whatever the files say (a table it is checked against was reloaded). */
  forced?: string;
}

export type RefreshPlan =
  | { kind: "full"; reason: string | null }
  | { kind: "keep" }
  | { kind: "merge"; files: string[] }
  | { kind: "digest"; files: string[] };

/** What to do with the table; `digest` asks for the sha256 of the files it names first. */
export function planRefresh(input: RefreshInput): RefreshPlan {
  const { recorded, files } = input;
  if (recorded.length === 0) return { kind: "full", reason: null };
  if (input.fullRefresh) return { kind: "full", reason: "--full-refresh" };
  if (!input.tableReady)
    return { kind: "full", reason: "the previous raw table is missing or predates _loaded_at" };
  if (recorded.some((file) => file.settingsSha256 !== input.settingsSha256)) {
    return { kind: "full", reason: "its load settings (or the loader) changed since the last load" };
  }
  if (input.forced) return { kind: "full", reason: input.forced };
  const now = new Map(files.map((file) => [file.display, file]));
  const gone = recorded.filter((file) => !now.has(file.file)).map((file) => file.file);
  if (gone.length > 0)
    return {
      kind: "full",
      reason: `${list(gone)} ${gone.length === 1 ? "was" : "were"} loaded before and ${gone.length === 1 ? "is" : "are"} gone`,
    };
  const fresh = files.filter((file) => !recorded.some((one) => one.file === file.display));
  if (input.mode === "replace" && fresh.length > 0) {
    return {
      kind: "full",
      reason: `${list(fresh.map((file) => file.display))} ${fresh.length === 1 ? "is" : "are"} new`,
    };
  }
  const resized = recorded.filter((file) => now.get(file.file)!.bytes !== file.bytes);
  if (resized.length > 0) return { kind: "full", reason: changed(resized.map((file) => file.file)) };
  const unhashed = recorded
    .filter((file) => now.get(file.file)!.sha256 === undefined)
    .map((file) => file.file);
  if (unhashed.length > 0) return { kind: "digest", files: unhashed };
  const edited = recorded.filter((file) => now.get(file.file)!.sha256 !== file.sha256);
  if (edited.length > 0) return { kind: "full", reason: changed(edited.map((file) => file.file)) };
  if (fresh.length === 0) return { kind: "keep" };
  // Later files win: a new file that sorts before a loaded one would have to lose to it.
  const last = recorded
    .map((file) => file.file)
    .sort()
    .at(-1)!;
  const early = fresh.filter((file) => file.display < last).map((file) => file.display);
  if (early.length > 0) {
    return {
      kind: "full",
      reason: `new ${list(early)} sorts before ${last}, which is loaded: later files win, so the order is redone`,
    };
  }
  return { kind: "merge", files: fresh.map((file) => file.display) };
}

function changed(files: string[]): string {
  return `${list(files)} changed since ${files.length === 1 ? "it was" : "they were"} loaded`;
}

function list(files: string[]): string {
  return files.length <= 3
    ? files.join(", ")
    : `${files.slice(0, 3).join(", ")} and ${files.length - 3} more`;
}
