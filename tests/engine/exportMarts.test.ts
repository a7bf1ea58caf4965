import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDuckDB } from "../../src/engine/adapters/duckdb.ts";
import { quietEffects } from "../../src/engine/effects.ts";
import { exportMarts } from "../../src/engine/exportMarts.ts";
import { copyFixture, removeCopies, runIn, thrown } from "./fixtureProject.ts";

afterAll(removeCopies);

describe("exportMarts", () => {
  it("writes each published mart, readable back with the same rows", async () => {
    const dir = await copyFixture("engine-basic");
    const request = {
      projectDir: dir,
      outDir: join(dir, "out"),
      format: "parquet" as const,
      open: openDuckDB,
    };
    // No warehouse yet: a usage error.
    expect((await thrown(() => exportMarts(request, quietEffects())))[0]?.name).toBe("no-warehouse");
    await runIn(dir);
    const files = await exportMarts(request, quietEffects());
    // Only customer_totals is under models/marts (tag published); no temporary file is left.
    expect(files).toEqual([join(dir, "out", "customer_totals.parquet")]);
    expect(await readdir(join(dir, "out"))).toEqual(["customer_totals.parquet"]);
    const reader = await openDuckDB(":memory:");
    const { rows } = await reader.query(
      `select count(*) as n, sum(paid_amount) as total from read_parquet('${files[0]}')`,
    );
    await reader.close();
    // 3 customers; 42.50 + 20.00 + 0 = 62.50.
    expect(rows).toEqual([{ n: 3, total: 62.5 }]);
  });
});
