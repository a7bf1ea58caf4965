/** What a refresh does with a table, decided from its files and the register. By hand. */
import { describe, expect, it } from "vitest";
import { planRefresh, type RefreshInput } from "../../src/ingest/refreshPlan.ts";

const SETTINGS = "s1";
const recorded = (file: string, bytes: number, sha256: string) => ({
  file,
  bytes,
  sha256,
  settingsSha256: SETTINGS,
});

/** Two daily files loaded before, both still there and hashed the same. */
function input(extra: Partial<RefreshInput> = {}): RefreshInput {
  return {
    mode: "append",
    fullRefresh: false,
    files: [
      { display: "orders/2024-06-01.csv", bytes: 10, sha256: "a" },
      { display: "orders/2024-06-02.csv", bytes: 20, sha256: "b" },
    ],
    recorded: [recorded("orders/2024-06-01.csv", 10, "a"), recorded("orders/2024-06-02.csv", 20, "b")],
    tableReady: true,
    settingsSha256: SETTINGS,
    ...extra,
  };
}

const day3 = { display: "orders/2024-06-03.csv", bytes: 30 };

describe("planRefresh", () => {
  it("keeps a table whose files are all unchanged", () => {
    expect(planRefresh(input())).toEqual({ kind: "keep" });
    expect(planRefresh(input({ mode: "replace" }))).toEqual({ kind: "keep" });
  });

  it("merges only the new files of an append table", () => {
    const files = [...input().files, day3];
    expect(planRefresh(input({ files }))).toEqual({ kind: "merge", files: ["orders/2024-06-03.csv"] });
  });

  it("reloads a replace table that gained a file", () => {
    const files = [...input().files, day3];
    expect(planRefresh(input({ mode: "replace", files }))).toEqual({
      kind: "full",
      reason: "orders/2024-06-03.csv is new",
    });
  });

  it("asks for hashes only when the sizes are the same", () => {
    const files = input().files.map(({ display, bytes }) => ({ display, bytes }));
    expect(planRefresh(input({ files }))).toEqual({
      kind: "digest",
      files: ["orders/2024-06-01.csv", "orders/2024-06-02.csv"],
    });
    // A size differs: changed, no hash needed.
    const resized = [{ display: "orders/2024-06-01.csv", bytes: 11 }, files[1]!];
    expect(planRefresh(input({ files: resized }))).toEqual({
      kind: "full",
      reason: "orders/2024-06-01.csv changed since it was loaded",
    });
  });

  it("reloads when a loaded file's content changed or it is gone", () => {
    const edited = [{ display: "orders/2024-06-01.csv", bytes: 10, sha256: "x" }, input().files[1]!];
    expect(planRefresh(input({ files: edited }))).toEqual({
      kind: "full",
      reason: "orders/2024-06-01.csv changed since it was loaded",
    });
    expect(planRefresh(input({ files: [input().files[1]!, day3] }))).toEqual({
      kind: "full",
      reason: "orders/2024-06-01.csv was loaded before and is gone",
    });
  });

  it("reloads when a new file sorts before a loaded one: later files win", () => {
    const late = { display: "orders/2024-06-01b.csv", bytes: 5 };
    expect(planRefresh(input({ files: [...input().files, late] }))).toEqual({
      kind: "full",
      reason:
        "new orders/2024-06-01b.csv sorts before orders/2024-06-02.csv, which is loaded: later files win, so the order is redone",
    });
  });

  it("loads in full without a reason the first time, with one on request or when settings changed", () => {
    expect(planRefresh(input({ recorded: [] }))).toEqual({ kind: "full", reason: null });
    expect(planRefresh(input({ fullRefresh: true }))).toEqual({ kind: "full", reason: "--full-refresh" });
    expect(planRefresh(input({ settingsSha256: "s2" }))).toEqual({
      kind: "full",
      reason: "its load settings (or the loader) changed since the last load",
    });
    expect(planRefresh(input({ tableReady: false }))).toEqual({
      kind: "full",
      reason: "the previous raw table is missing or predates _loaded_at",
    });
    expect(planRefresh(input({ forced: "raw.orders was reloaded" }))).toEqual({
      kind: "full",
      reason: "raw.orders was reloaded",
    });
  });
});
