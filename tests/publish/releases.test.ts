/** Release names, pruning and rollback order: pure functions over folder names. */
import { describe, expect, it } from "vitest";
import {
  compactTime,
  isRelease,
  previousRelease,
  releaseName,
  releasesToPrune,
  safeRunId,
} from "../../src/publish/releases.ts";

const A = "20250101T020000Z-gh-1";
const B = "20250102T020000Z-gh-2";
const C = "20250103T020000Z-gh-3";
const D = "20250104T020000Z-gh-4";

describe("release names", () => {
  it("stamps UTC time compactly, to the second", () => {
    // 2025-03-16 10:00:00.999 in +08:00 is 02:00:00.999 UTC; the milliseconds are dropped.
    expect(compactTime(new Date("2025-03-16T10:00:00.999+08:00"))).toBe("20250316T020000Z");
  });

  it("appends the run id, made safe for a file name", () => {
    const at = new Date("2025-03-16T02:00:00Z");
    expect(releaseName(at, "gh-8123", new Set())).toBe("20250316T020000Z-gh-8123");
    expect(safeRunId("../../etc/passwd")).toBe("etc-passwd");
    expect(safeRunId("run 12/3")).toBe("run-12-3");
    expect(releaseName(at, undefined, new Set())).toBe("20250316T020000Z");
  });

  it("gives a second deploy in the same second a distinct name that sorts after the first", () => {
    const at = new Date("2025-03-16T02:00:00Z");
    const first = "20250316T020000Z-r";
    const second = releaseName(at, "r", new Set([first]));
    expect(second).toBe("20250316T020000Z-r~2");
    expect([second, first].sort()).toEqual([first, second]);
    expect(releaseName(at, "r", new Set([first, second]))).toBe("20250316T020000Z-r~3");
  });

  it("tells releases from temporary folders", () => {
    expect(isRelease(A)).toBe(true);
    expect(isRelease(".partial-12-20250101T020000Z")).toBe(false);
    expect(isRelease("notes")).toBe(false);
  });
});

describe("pruning", () => {
  it("keeps the newest N", () => {
    // 4 releases, keep 2: the two oldest (A, B) go.
    expect(releasesToPrune([C, A, D, B], D, 2)).toEqual([A, B]);
    expect(releasesToPrune([A, B], B, 5)).toEqual([]);
  });

  it("never removes the current release, even when it is not among the newest", () => {
    // After a rollback to B, keep 2: B stays and takes the place of C, the older of the newest two.
    expect(releasesToPrune([A, B, C, D], B, 2)).toEqual([A, C]);
    expect(releasesToPrune([A, B, C, D], A, 1)).toEqual([B, C, D]);
  });

  it("ignores folders that are not releases", () => {
    expect(releasesToPrune([A, ".partial-9-x", B], B, 1)).toEqual([A]);
  });
});

describe("rollback order", () => {
  it("goes to the newest release older than the current one", () => {
    expect(previousRelease([A, B, C, D], D)).toBe(C);
    expect(previousRelease([A, B, C, D], B)).toBe(A);
    expect(previousRelease([A, B, C, D], A)).toBeUndefined();
  });
});
