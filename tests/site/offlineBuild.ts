// Run by buildSite.test.ts inside `unshare -n` (no network at all): builds the fixture site and
// prints how many pages it wrote. Not a test file itself.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSite } from "../../src/site/buildSite.ts";
import { fixtureWarehouse } from "./helpers.ts";

const dir = process.argv[2] ?? "";
const report = await buildSite({
  projectDir: fileURLToPath(new URL("../fixtures/site-shop", import.meta.url)),
  warehousePath: await fixtureWarehouse(dir),
  outDir: join(dir, "offline"),
  demo: true,
  run: { id: "offline", refreshedAt: "2024-06-16T02:00:00Z", asOf: "2024-06-15" },
});
process.stdout.write(JSON.stringify({ pages: report.pages.length }));
