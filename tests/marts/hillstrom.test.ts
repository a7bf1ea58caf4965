/**
 * campaign_uplift on real data no one here wrote: the Hillstrom MineThatData e-mail test
 * (../shared/datasets/hillstrom-email, 64,000 customers randomized to a Mens e-mail, a Womens
 * e-mail or no e-mail, outcomes tracked for two weeks). toRawContract turns it into the raw data
 * contract: one campaign per e-mail arm, the no-e-mail customers the holdout of both, a contact
 * on 2008-03-01, and a purchase on 2008-03-08 for each conversion (paid = spend). The expected
 * figures are the dataset README's published counts and, for the intervals, 30-digit mpmath
 * computations of the same formulas.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWarehouse, byKey, type Warehouse } from "./shopSmall.ts";

const source = join(import.meta.dirname, "../../../shared/datasets/hillstrom-email/hillstrom.csv");
const ARMS: Record<string, string> = { "Mens E-Mail": "hillstrom_mens", "Womens E-Mail": "hillstrom_womens" };

interface Converted {
  files: Record<string, string>;
  /** Two-week spend per customer of each arm, for the Welch check. */
  spend: Record<string, number[]>;
}

/** The Hillstrom file in the raw data contract (customers, orders, campaigns, contacts). */
function toRawContract(csv: string): Converted {
  const lines = csv.trim().split(/\r?\n/);
  // history_segment is quoted and may hold a comma ("6) $750 - $1,000"); the last four
  // columns (segment, visit, conversion, spend) never do, so fields are read from the end
  expect(lines[0]!.split(",").slice(-4)).toEqual(["segment", "visit", "conversion", "spend"]);
  const customers = ["customer_id,created_at"];
  const orders = ["order_id,customer_id,ordered_at,status,paid_amount"];
  const contacts = ["campaign_id,customer_id,contacted_at,group"];
  const spend: Record<string, number[]> = { "Mens E-Mail": [], "Womens E-Mail": [], "No E-Mail": [] };
  lines.slice(1).forEach((line, index) => {
    const fields = line.split(",");
    const id = `h${String(index + 1).padStart(5, "0")}`;
    const [segment, , conversion, spent] = fields.slice(-4) as [string, string, string, string];
    const amount = Number(spent);
    customers.push(`${id},2007-03-01`);
    spend[segment]!.push(amount);
    if (conversion === "1") orders.push(`o${id},${id},2008-03-08 12:00:00,paid,${amount}`);
    const contact = (campaign: string, group: string) =>
      contacts.push(`${campaign},${id},2008-03-01 00:00:00,${group}`);
    if (segment === "No E-Mail") for (const campaign of Object.values(ARMS)) contact(campaign, "holdout");
    else contact(ARMS[segment]!, "treatment");
  });
  const campaigns = [
    "campaign_id,name,channel,started_at,response_window_days",
    "hillstrom_mens,Mens merchandise e-mail,edm,2008-03-01,14",
    "hillstrom_womens,Womens merchandise e-mail,edm,2008-03-01,14",
  ];
  const text = (rows: string[]) => `${rows.join("\n")}\n`;
  return {
    files: {
      "customers.csv": text(customers),
      "orders.csv": text(orders),
      "campaigns.csv": text(campaigns),
      "campaign_contacts.csv": text(contacts),
    },
    spend,
  };
}

let warehouse: Warehouse;
let converted: Converted;
let dataDir: string;
beforeAll(async () => {
  converted = toRawContract(await readFile(source, "utf8"));
  dataDir = await mkdtemp(join(tmpdir(), "hillstrom-"));
  for (const [name, text] of Object.entries(converted.files)) await writeFile(join(dataDir, name), text);
  warehouse = await buildWarehouse(
    dataDir,
    "2008-03-15",
    {},
    { select: "+campaign_uplift +campaign_response" },
  );
});
afterAll(async () => {
  await warehouse?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const Z = 1.959964;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const variance = (values: number[]) => {
  const m = mean(values);
  return values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1);
};

describe("campaign_uplift on the Hillstrom e-mail test (14-day window)", () => {
  it("reproduces the published conversion counts and their Newcombe intervals", async () => {
    const rows = byKey(
      await warehouse.rows("select * from campaign_uplift where window_days = 14"),
      "campaign_id",
    );
    // README counts: Mens 267 of 21,307; Womens 189 of 21,387; no e-mail 122 of 21,306.
    const mens = rows.hillstrom_mens!;
    expect([mens.is_complete, mens.treatment_contacts, mens.holdout_contacts]).toEqual([true, 21307, 21306]);
    expect(mens.treatment_rate).toBeCloseTo(267 / 21307, 15); // 0.012531
    expect(mens.holdout_rate).toBeCloseTo(122 / 21306, 15); // 0.005726
    expect(mens.uplift_abs).toBeCloseTo(267 / 21307 - 122 / 21306, 15);
    // mpmath: Newcombe [0.00501434465740046, 0.00864072341170412]; z = 7.38511441093,
    // p = 1.52322350059555e-13 (relative precision kept in the tail).
    expect(mens.ci_low).toBeCloseTo(0.00501434465740046, 12);
    expect(mens.ci_high).toBeCloseTo(0.00864072341170412, 12);
    expect(Math.abs(Number(mens.p_value) / 1.52322350059555e-13 - 1)).toBeLessThan(1e-6);
    expect(mens.significant).toBe(true);
    const womens = rows.hillstrom_womens!;
    expect([womens.treatment_contacts, womens.holdout_contacts]).toEqual([21387, 21306]);
    expect(womens.uplift_abs).toBeCloseTo(189 / 21387 - 122 / 21306, 15);
    // mpmath: [0.00150165711912916, 0.00474547132681151], p = 0.000157105129106685
    expect(womens.ci_low).toBeCloseTo(0.00150165711912916, 12);
    expect(womens.ci_high).toBeCloseTo(0.00474547132681151, 12);
    expect(womens.p_value).toBeCloseTo(0.000157105129106685, 12);
  });

  it("gives the incremental spend with a Welch interval over every contact", async () => {
    const rows = byKey(
      await warehouse.rows("select * from campaign_uplift where window_days = 14"),
      "campaign_id",
    );
    // README spend totals: Mens 30,311.69 (1.422617 per customer), none 13,908.33 (0.652789).
    const treatment = converted.spend["Mens E-Mail"]!;
    const holdout = converted.spend["No E-Mail"]!;
    expect(treatment.reduce((a, b) => a + b, 0)).toBeCloseTo(30311.69, 6);
    expect(holdout.reduce((a, b) => a + b, 0)).toBeCloseTo(13908.33, 6);
    const difference = 30311.69 / 21307 - 13908.33 / 21306;
    const se = Math.sqrt(variance(treatment) / 21307 + variance(holdout) / 21306);
    const mens = rows.hillstrom_mens!;
    expect(mens.incremental_revenue).toBeCloseTo(difference * 21307, 6); // (1.422617 - 0.652789) x 21,307
    expect(mens.incremental_revenue_ci_low).toBeCloseTo((difference - Z * se) * 21307, 6);
    expect(mens.incremental_revenue_ci_high).toBeCloseTo((difference + Z * se) * 21307, 6);
    // no costs in the file: cost 0 and roi null
    expect(mens.cost).toBe(0);
    expect(mens.roi).toBeNull();
  });
});
