/** The fingerprint of how a table is read, and file hashes (NIST's published SHA-256 vector). */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LoadSettings } from "../../src/ingest/api.ts";
import { contractTable } from "../../src/ingest/contract.ts";
import { digester, sha256File } from "../../src/ingest/fileDigest.ts";
import { canonical, loadFingerprint } from "../../src/ingest/loadFingerprint.ts";
import { piiKey } from "../../src/ingest/pii.ts";

const orders = contractTable("orders")!;
const settings: LoadSettings = {
  paths: ["orders/*.csv"],
  pathsDeclared: true,
  format: "auto",
  encoding: "auto",
  delimiter: "auto",
  columns: { order_id: "订单号", status: "状态" },
  values: {},
  required: true,
  mode: "append",
};

describe("loadFingerprint", () => {
  it("sorts keys, so reordering a mapping is no change", () => {
    expect(canonical({ b: 1, a: [2, { d: null, c: "x" }] })).toBe('{"a":[2,{"c":"x","d":null}],"b":1}');
    const reordered = { ...settings, columns: { status: "状态", order_id: "订单号" } };
    const key = piiKey("salt");
    expect(loadFingerprint(orders, reordered, "Asia/Shanghai", key)).toBe(
      loadFingerprint(orders, settings, "Asia/Shanghai", key),
    );
  });

  it("changes with what changes rows, not with paths or thresholds", () => {
    const key = piiKey("salt");
    const base = loadFingerprint(orders, settings, "Asia/Shanghai", key);
    const same = { ...settings, paths: ["o/*.csv"], maxRejected: { share: 0.1 }, required: false };
    expect(loadFingerprint(orders, same, "Asia/Shanghai", key)).toBe(base);
    for (const other of [
      loadFingerprint(orders, { ...settings, mode: "replace" }, "Asia/Shanghai", key),
      loadFingerprint(
        orders,
        { ...settings, values: { status: { 交易成功: "paid" } } },
        "Asia/Shanghai",
        key,
      ),
      loadFingerprint(orders, settings, "UTC", key),
      loadFingerprint(orders, settings, "Asia/Shanghai", piiKey("another salt")),
    ]) {
      expect(other).not.toBe(base);
    }
  });
});

describe("file hashes", () => {
  it("hashes contents as SHA-256, once per file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "huitou-digest-"));
    try {
      const path = join(dir, "abc.csv");
      await writeFile(path, "abc");
      // FIPS 180-2, appendix B.1: SHA-256("abc").
      const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
      expect(await sha256File(path)).toBe(abc);
      const digest = digester();
      expect(await digest(path)).toBe(abc);
      await writeFile(path, "changed");
      // Asked again in the same run: the answer of the first hashing, not a second one.
      expect(await digest(path)).toBe(abc);
      expect(await sha256File(path)).not.toBe(abc);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
