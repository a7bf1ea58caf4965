/**
 * Names and phones never enter the warehouse in clear. The HMAC computed in SQL is checked
 * against node:crypto's (an independent implementation); the salt comes from the env or a file
 * outside the repository; and a full load of known names and phones into a warehouse file
 * leaves none of them in any table or anywhere in the file's bytes.
 */
import { createHmac } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { loadSources } from "../../src/ingest/loadSources.ts";
import { hmacSql, piiKey, resolveSalt } from "../../src/ingest/pii.ts";
import { readSources } from "../../src/ingest/readSources.ts";

const ROOT = join(import.meta.dirname, "../..");
const NAMES = ["张三丰", "欧阳娜娜", "Zhang Sanfeng"];
const PHONES = ["13812345678", "15987654321", "18611112222"];
// A non-personal value loaded like the names: if the byte scan can find it, it could find them.
const CONTROL = "ControlCity";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "huitou-pii-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("HMAC-SHA256 in SQL", () => {
  it("equals node:crypto for short, Chinese and over-long salts", async () => {
    const db = await openDuckDB(":memory:");
    for (const salt of ["s", "盐-salt", "k".repeat(100)]) {
      for (const value of ["张三丰", "13812345678", ""]) {
        const { rows } = await db.query(`select ${hmacSql("$value::varchar", piiKey(salt))} as h`, { value });
        expect(rows[0]?.h).toBe(createHmac("sha256", salt).update(value, "utf8").digest("hex"));
      }
    }
    await db.close();
  });
});

describe("salt", () => {
  it("prefers the explicit salt, then HUITOU_PII_SALT, then the salt file", async () => {
    const path = join(dir, "config", "huitou", "pii_salt");
    expect(await resolveSalt("given", { HUITOU_PII_SALT: "env" }, path)).toBe("given");
    expect(await resolveSalt(undefined, { HUITOU_PII_SALT: "env" }, path)).toBe("env");
    const created = await resolveSalt(undefined, {}, path);
    expect(created).toMatch(/^[0-9a-f]{64}$/);
    // Created once, private to the user, and reused.
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await resolveSalt(undefined, {}, path)).toBe(created);
  });
});

describe("warehouse file", () => {
  it("holds no name or phone in clear, in any table or byte", async () => {
    const data = join(dir, "data");
    await rm(data, { recursive: true, force: true });
    await import("node:fs/promises").then((fs) => fs.mkdir(data));
    await writeFile(
      join(data, "customers.csv"),
      [
        "customer_id,created_at,city,name,phone",
        `c1,2024-01-01,${CONTROL},${NAMES[0]},${PHONES[0]}`,
        `c2,2024-01-02,${CONTROL},${NAMES[1]},+86 ${PHONES[1]}`,
        // Rejected rows carry names too: the quarantine must not.
        `c3,not-a-date,${CONTROL},${NAMES[2]},${PHONES[2]}`,
        `c1,2024-01-09,${CONTROL},${NAMES[2]},${PHONES[2]}`,
        `c4,2024-01-03,${CONTROL},,`,
        `c5,2024-01-04,${CONTROL},,`,
      ].join("\n"),
    );
    // Receiver name and phone in unmapped order columns are never loaded.
    await writeFile(
      join(data, "orders.csv"),
      `order_id,customer_id,ordered_at,status,paid_amount,receiver,receiver_phone\no1,c1,2024-02-01,paid,10,${NAMES[2]},${PHONES[2]}\n`,
    );
    const path = join(dir, "warehouse.duckdb");
    const db = await openDuckDB(path);
    await loadSources(db, await readSources(ROOT), {
      projectDir: ROOT,
      dataDir: data,
      timezone: "Asia/Shanghai",
      now: new Date("2024-06-01T00:00:00Z"),
      piiSalt: "pii-test",
      tempDir: dir,
    });
    // c3 (bad date) and both c1 rows (conflicting key) are quarantined: 3 of 6 rejected.
    const { rows: report } = await db.query(
      `select rows_rejected from raw.load_report where source = 'customers' and "check" = 'load'`,
    );
    expect(report[0]?.rows_rejected).toBe(3);
    let text = "";
    for (const relation of await db.listRelations()) {
      const { rows } = await db.query(`select * from "${relation.schema}"."${relation.name}"`);
      text += JSON.stringify(rows);
    }
    expect(text).toContain(CONTROL);
    for (const secret of [...NAMES, ...PHONES]) expect(text).not.toContain(secret);
    await db.execute("checkpoint");
    await db.close();
    const files = (await readdir(dir)).filter((name) => name.startsWith("warehouse"));
    const bytes = Buffer.concat(await Promise.all(files.map((name) => readFile(join(dir, name)))));
    expect(bytes.includes(Buffer.from(CONTROL))).toBe(true);
    for (const secret of [...NAMES, ...PHONES]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    // No converted temporary file is left behind either.
    expect((await readdir(dir)).filter((name) => name.startsWith("huitou-"))).toEqual([]);
  });
});
