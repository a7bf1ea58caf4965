/**
 * Campaigns: who was contacted, who was held out, and the purchases a campaign caused.
 *
 * Contacts are a stratified random sample of the campaign's eligible CRM customers; each is
 * held out with the campaign's holdout share. The treatment effect is a
 * "persuadable" draw: a treatment contact makes an extra, induced purchase inside the window
 * with probability φ. With h the natural response rate of the campaign's contacts (a purchase
 * in the window without the campaign), the response rate becomes h + φ(1 - h), so setting
 * φ = δ / (1 - h) makes the additive uplift exactly the designed δ. Windows of different
 * campaigns never overlap (campaignPlan.ts), so no campaign's purchases enter another's h.
 */
import { quoteLiteral } from "../../engine/adapters/adapter.ts";
import type { PlannedCampaign } from "../campaignPlan.ts";
import { type SqlContext, u } from "./context.ts";
import { PURCHASE_KEY } from "./purchases.ts";

const S = { pick: 400, holdout: 401, contactTime: 402, persuaded: 403, inducedTime: 404 } as const;

/** Contact keys: customer x 1024 + campaign number (numbers stay below 1024). */
const CONTACT_KEY = 1024;

/** Creates `demo_campaigns` from the plan. */
export function campaignsTableSql(campaigns: PlannedCampaign[]): string {
  const columns = `number INTEGER, campaign_id VARCHAR, name VARCHAR, channel VARCHAR, start_second BIGINT,
    started_at VARCHAR, window_days INTEGER, segment VARCHAR, contact_share DOUBLE, max_contacts BIGINT,
    holdout_share DOUBLE, true_uplift DOUBLE, offer VARCHAR, threshold DECIMAL(18,2), amount DECIMAL(18,2),
    coupon_cost DECIMAL(18,2), cost_per_contact DECIMAL(18,2)`;
  if (campaigns.length === 0) return `create or replace table demo_campaigns (${columns});`;
  if (campaigns.length >= CONTACT_KEY) throw new Error(`invalid campaign count: ${campaigns.length}`);
  const values = campaigns
    .map((c) =>
      [
        c.number,
        quoteLiteral(c.campaignId),
        quoteLiteral(c.name),
        quoteLiteral(c.channel),
        c.startDay * 86_400 + 9 * 3600,
        quoteLiteral(c.startedAt),
        c.windowDays,
        quoteLiteral(c.segment),
        c.contactShare,
        c.maxContacts,
        c.holdoutShare,
        c.trueUplift,
        quoteLiteral(c.offer.label),
        c.offer.threshold,
        c.offer.amount,
        c.offer.couponCost ?? "NULL",
        c.costPerContact,
      ].join(", "),
    )
    .map((row) => `(${row})`)
    .join(",\n");
  return `create or replace table demo_campaigns (${columns});
insert into demo_campaigns values ${values};`;
}

const SEGMENTS = ["all", "buyers", "members"] as const;
/** Rank keys: segment number x 2^32 + rank (1-based, by the time the customer joined the segment). */
const RANK_KEY = 4_294_967_296;

/**
 * Creates `demo_contacts` (number, i, is_holdout, contact_second). A campaign's eligible
 * customers are those who joined its segment (were created, first bought, became members)
 * before the campaign's day: a prefix of the segment ranked by that time. Contacts are a stratified random sample of that prefix: the ranks are
 * cut into `wanted` consecutive strata and one rank is drawn uniformly from each, so every
 * eligible customer has the same chance and nobody is drawn twice.
 */
export function contactsSql(ctx: SqlContext): string {
  const key = `contacts.i * ${CONTACT_KEY} + contacts.number`;
  const strata = "(campaigns.eligible::DOUBLE / campaigns.wanted)";
  return `create or replace table demo_segment_ranks as
select 0 as segment_no, i, created_second as second, ${RANK_KEY} * 0 + row_number() over (order by created_second, i) as rank_key
from demo_customers where not is_guest
union all
select 1, i, first_second, ${RANK_KEY} * 1 + row_number() over (order by first_second, i)
from demo_customers where not is_guest and not is_fan
union all
select 2, i, member_second, ${RANK_KEY} * 2 + row_number() over (order by member_second, i)
from demo_customers where member_second is not null;

create or replace table demo_campaign_sizes as
with joined as (
    -- Customers joining each segment per day: eligibility is counted from this histogram.
    select segment_no, second // 86400 as day, count(*) as customers
    from demo_segment_ranks
    group by all
),

segmented as (
    select
        *,
        case segment ${SEGMENTS.map((name, index) => `when '${name}' then ${index}`).join(" ")} end as segment_no
    from demo_campaigns
),

eligible as (
    select segmented.number, segmented.segment_no, coalesce(sum(joined.customers), 0) as eligible
    from segmented
    left join joined on joined.segment_no = segmented.segment_no and joined.day < segmented.start_second // 86400
    group by all
)

select
    eligible.*,
    least(round(campaigns.contact_share * eligible.eligible), campaigns.max_contacts)::BIGINT as wanted
from eligible
inner join demo_campaigns as campaigns on campaigns.number = eligible.number;

-- The strata go into a table first: the unnest of a few campaign rows runs on one thread, the
-- draws and the join that follow run on all when they read a table.
create or replace table demo_strata as
select campaigns.*, unnest(range(campaigns.wanted)) as j
from demo_campaign_sizes as campaigns
where campaigns.wanted > 0;

create or replace table demo_contacts as
with picked as (
    select
        campaigns.number,
        campaigns.segment_no * ${RANK_KEY} + floor(j * ${strata})::BIGINT + 1
            + floor(${u(ctx, "campaigns.number * 16777216 + campaigns.j", S.pick)}
                * (floor((j + 1) * ${strata}) - floor(j * ${strata})))::BIGINT as rank_key
    from demo_strata as campaigns
),

contacts as (
    select picked.number, ranks.i
    from picked
    inner join demo_segment_ranks as ranks on ranks.rank_key = picked.rank_key
)

select
    contacts.number,
    contacts.i,
    ${u(ctx, key, S.holdout)} < campaigns.holdout_share as is_holdout,
    -- Sends go out from 09:00 to 13:00 on the start day; a holdout row has the time it would have had.
    campaigns.start_second + floor(${u(ctx, key, S.contactTime)} * 14400)::BIGINT as contact_second
from contacts
inner join demo_campaigns as campaigns on campaigns.number = contacts.number`;
}

/**
 * Creates `demo_campaign_effects` (per campaign: contacts, natural responders, φ),
 * `demo_induced_purchases` and `demo_redemption_candidates` (natural purchases of treatment
 * contacts inside their window).
 */
export function campaignEffectsSql(ctx: SqlContext): string {
  const key = `contacts.i * ${CONTACT_KEY} + contacts.number`;
  return `create or replace table demo_contact_purchases as
select contacts.number, contacts.i, contacts.is_holdout, purchases.pkey
from demo_contacts as contacts
inner join demo_campaigns as campaigns on campaigns.number = contacts.number
inner join demo_natural_purchases as purchases
    on purchases.i = contacts.i
    and purchases.second >= contacts.contact_second
    and purchases.second < contacts.contact_second + campaigns.window_days * 86400;

create or replace table demo_campaign_effects as
with responders as (
    select distinct number, i from demo_contact_purchases
),

counts as (
    select
        contacts.number,
        count(*) as contacts,
        count(*) filter (where contacts.is_holdout) as holdout,
        count(responders.i) as natural_responders
    from demo_contacts as contacts
    left join responders on responders.number = contacts.number and responders.i = contacts.i
    group by contacts.number
)

select
    campaigns.number,
    coalesce(counts.contacts, 0) as contacts,
    coalesce(counts.holdout, 0) as holdout,
    coalesce(counts.natural_responders, 0) as natural_responders,
    coalesce(counts.natural_responders / counts.contacts, 0) as natural_rate,
    least(1, campaigns.true_uplift / (1 - coalesce(counts.natural_responders / counts.contacts, 0))) as persuasion
from demo_campaigns as campaigns
left join counts on counts.number = campaigns.number;

create or replace table demo_induced_purchases as
select
    contacts.i * ${PURCHASE_KEY.perCustomer} + ${PURCHASE_KEY.induced} + contacts.number as pkey,
    contacts.i,
    -- Front-loaded inside the window: most responses come in the first days.
    contacts.contact_second + floor(pow(${u(ctx, key, S.inducedTime)}, 2) * campaigns.window_days * 86400)::BIGINT
        as second,
    contacts.number as campaign_number
from demo_contacts as contacts
inner join demo_campaigns as campaigns on campaigns.number = contacts.number
inner join demo_campaign_effects as effects on effects.number = contacts.number
where not contacts.is_holdout and ${u(ctx, key, S.persuaded)} < effects.persuasion;

create or replace table demo_redemption_candidates as
select pkey, number as campaign_number from demo_contact_purchases where not is_holdout`;
}
