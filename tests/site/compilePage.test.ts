import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Adapter } from "../../src/engine/adapters/adapter.ts";
import { HuitouError } from "../../src/errors.ts";
import { makeGlossary } from "../../src/site/glossary.ts";
import { compile, flatten, htmlOf, memoryWarehouse } from "./helpers.ts";

let db: Adapter;

beforeAll(async () => {
  db = await memoryWarehouse(`
    create table repurchase_monthly as select * from (values
      (date '2024-04-01', 160, 0.25, 42000.00),
      (date '2024-05-01', 200, 0.23, 123456789.00)
    ) as t(month, buyers, repurchase_rate, revenue);
    create table by_channel as select * from (values
      ('wechat', 0.30), ('app', 0.10), ('it''s', 0.5)
    ) as t(channel, repurchase_rate);
    create table customer_orders as select * from (values ('c1', 1), ('c2', 2)) as t(customer_id, order_seq);
    create table campaigns as select * from (values ('C1', '<b>双11</b>')) as t(campaign_id, name);
  `);
});

afterAll(async () => {
  await db.close();
});

const MONTHLY = "```sql monthly\nselect * from repurchase_monthly order by month desc\n```\n";

describe("compilePage", () => {
  it("fills {values} formatted by their column's unit", async () => {
    const page = await compile(
      db,
      `${MONTHLY}\nBuyers {monthly[0].buyers}, rate {monthly[0].repurchase_rate}, revenue {monthly[0].revenue}, months {monthly.length}.`,
    );
    // 200 buyers (count); 0.23 → 23.0%; 123,456,789 → ¥1.23亿 (compact in prose); 2 rows.
    expect(htmlOf(page)).toBe("<p>Buyers 200, rate 23.0%, revenue ¥1.23亿, months 2.</p>");
  });

  it("builds a KPI tile: first row's value, signed comparison, tone, sparkline", async () => {
    const source = `\`\`\`sql kpi
select month, buyers, buyers / lag(buyers) over (order by month desc) - 1 as change
from repurchase_monthly order by month desc
\`\`\`
<BigValue data={kpi} value=buyers comparison=change comparisonFmt=pct sparkline=month/>
`;
    const page = await compile(db, source);
    const tile = flatten(page.nodes).find((node) => node.kind === "bigValue");
    // Row 0 is May: 200 buyers; its change is null (lag over descending months looks at no later month).
    expect(tile).toMatchObject({
      kind: "bigValue",
      title: "购买人数",
      value: "200",
      comparison: { text: "—", tone: "neutral" },
    });
    expect(tile?.kind === "bigValue" && tile.sparkline).toContain("<svg");
    const downIsGood = await compile(
      db,
      `\`\`\`sql k
select 0.05 as churn_rate, 0.01 as d
\`\`\`
<BigValue data={k} value=churn_rate comparison=d comparisonFmt=pp downIsGood/>`,
    );
    // A rise in churn is bad: +1.0 point, tone bad.
    expect(flatten(downIsGood.nodes).find((n) => n.kind === "bigValue")).toMatchObject({
      value: "5.0%",
      comparison: { text: "+1.0个百分点", tone: "bad" },
    });
  });

  it("takes definitions and labels from the glossary", async () => {
    const glossary = makeGlossary([
      {
        model: "repurchase_monthly",
        column: "repurchase_rate",
        description: "复购率 - buyers with 2+ purchases / buyers.",
      },
    ]);
    const page = await compile(db, `${MONTHLY}<BigValue data={monthly} value=repurchase_rate/>`, {
      glossary,
    });
    expect(flatten(page.nodes).find((n) => n.kind === "bigValue")).toMatchObject({
      title: "复购率",
      definition: { term: "复购率", text: "复购率 - buyers with 2+ purchases / buyers." },
    });
  });

  it("renders one variant per filter option, with the SQL interpolated (quotes doubled)", async () => {
    const source = `\`\`\`sql channels
select channel from by_channel order by channel
\`\`\`
\`\`\`sql picked
select repurchase_rate from by_channel where channel = '\${inputs.ch.value}'
\`\`\`
<Dropdown name=ch data={channels} value=channel title="渠道"/>

<BigValue data={picked} value=repurchase_rate/>
`;
    const page = await compile(db, source);
    const input = page.nodes.find((n) => n.kind === "input");
    expect(input).toMatchObject({
      name: "ch",
      label: "渠道",
      defaultValue: "app",
      options: [{ value: "app" }, { value: "it's" }, { value: "wechat" }],
    });
    const variants = page.nodes.find((n) => n.kind === "variants");
    expect(
      variants?.kind === "variants" &&
        variants.variants.map((v) => [v.key, (v.nodes[0] as { value: string }).value]),
    ).toEqual([
      ["ch=app", "10.0%"],
      ["ch=it's", "50.0%"],
      ["ch=wechat", "30.0%"],
    ]);
    expect(page.hasInputs).toBe(true);
  });

  it("offers date-range presets ending at as_of", async () => {
    const source = `\`\`\`sql r
select count(*) as months from repurchase_monthly where month >= '\${inputs.p.start}' and month <= '\${inputs.p.end}'
\`\`\`
<DateRange name=p defaultValue=12m/>

{r[0].months}
`;
    const page = await compile(db, source);
    const variants = page.nodes.find((n) => n.kind === "variants");
    // as_of 2024-06-15: last 6 months start 2024-01-01 (both months in); ytd 2024-01-01; all time 1900.
    expect(variants?.kind === "variants" && variants.variants.map((v) => v.key)).toEqual([
      "p=6m",
      "p=12m",
      "p=24m",
      "p=ytd",
      "p=all",
    ]);
    expect(variants?.kind === "variants" && variants.defaultKey).toBe("p=12m");
  });

  it("fills template parameters and escapes text from data", async () => {
    const source = `---
title: "{c[0].name}"
---
\`\`\`sql c
select name from campaigns where campaign_id = '\${params.campaign_id}'
\`\`\`
Name: {c[0].name}
`;
    const page = await compile(db, source, { params: { campaign_id: "C1" } });
    expect(page.title).toBe("<b>双11</b>");
    expect(htmlOf(page)).toBe("<p>Name: &lt;b&gt;双11&lt;/b&gt;</p>\n");
  });

  it("repeats and chooses blocks with {#each} and {#if}", async () => {
    const source = `${MONTHLY}
{#each monthly as m}
- [{m.buyers}](/months/{m.buyers})
{/each}

{#if monthly.length > 5}
many
{:else}
few
{/if}
`;
    const page = await compile(db, source, { route: "/a/b/" });
    // Site links are made relative to the page's depth (two levels: ../../).
    expect(htmlOf(page)).toBe(
      '<ul>\n<li><a href="../../months/200/">200</a></li>\n<li><a href="../../months/160/">160</a></li>\n</ul>\n<p>few</p>\n',
    );
  });

  it("renders links to other hosts as text", async () => {
    const page = await compile(db, "[out](https://example.com/x) and [in](/retention)");
    expect(htmlOf(page)).toBe('<p><span class="offsite">out</span> and <a href="../retention/">in</a></p>');
  });

  it("fails a broken query naming the page file, the query and the page line", async () => {
    const source = "# Title\n\n```sql broken\nselect 1\nfrom no_such_table\n```\n";
    const error = await compile(db, source).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HuitouError);
    const huitou = error as HuitouError;
    // The SQL starts on page line 4; DuckDB reports its line 2, so the page line is 4 + 2 - 1 = 5.
    expect({ name: huitou.name, file: huitou.location?.file, line: huitou.location?.line }).toEqual({
      name: "page-query",
      file: "pages/test.md",
      line: 5,
    });
    expect(huitou.message).toContain("query 'broken' failed");
    expect(huitou.message).toContain("no_such_table");
  });

  it("says a missing optional table is not built yet instead of failing", async () => {
    const source =
      "---\noptional_tables: [clv_by_channel]\n---\n```sql c\nselect ltv from clv_by_channel\n```\n<BigValue data={c} value=ltv/>\n<LineChart data={c} x=ltv y=ltv/>\n";
    const page = await compile(db, source);
    const nodes = flatten(page.nodes);
    expect(nodes.find((n) => n.kind === "bigValue")).toMatchObject({
      value: "—",
      empty: "暂无数据：clv_by_channel 为空或尚未生成。",
    });
    expect(nodes.find((n) => n.kind === "chart")).toMatchObject({
      svg: "",
      empty: "暂无数据：clv_by_channel 为空或尚未生成。",
    });
  });

  it("refuses to publish rows of a per-customer mart", async () => {
    const error = await compile(
      db,
      "```sql who\nselect customer_id, order_seq from customer_orders\n```\n",
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HuitouError);
    expect((error as HuitouError).message).toContain("pages show aggregates only");
    // Aggregating the same mart is fine: 2 rows → count 2.
    const page = await compile(
      db,
      "```sql n\nselect count(*) as customers from customer_orders\n```\n{n[0].customers}",
    );
    expect(htmlOf(page)).toBe("<p>2</p>");
  });

  it("names an unknown component and an undefined name with their lines", async () => {
    const unknown = (await compile(db, "text\n\n<Sparkles data={x}/>\n").catch(
      (e: unknown) => e,
    )) as HuitouError;
    expect([unknown.name, unknown.location?.line, unknown.message.slice(0, 30)]).toEqual([
      "page",
      3,
      "unknown component <Sparkles>: ",
    ]);
    const undefinedName = (await compile(db, "a\nb {missing[0].x}\n").catch(
      (e: unknown) => e,
    )) as HuitouError;
    expect([undefinedName.location?.line, undefinedName.location?.column, undefinedName.message]).toEqual([
      2,
      3,
      "'missing' is not defined on this page",
    ]);
  });

  it("uses English titles and texts in an English build", async () => {
    const page = await compile(
      db,
      `---\ntitle: 复购\ntitle_en: Repurchase\n---\n${MONTHLY}{t('复购率', 'Rate')}\n<BigValue data={monthly} value=buyers title="买家" title_en="Buyers now"/>`,
      { locale: "en" },
    );
    expect(page.title).toBe("Repurchase");
    expect(htmlOf(page)).toBe("<p>Rate</p>\n");
    expect(flatten(page.nodes).find((n) => n.kind === "bigValue")).toMatchObject({
      title: "Buyers now",
      value: "200",
    });
  });
});
