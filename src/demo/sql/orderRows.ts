/**
 * Orders: the rows of orders.csv, built from purchases and their items. A purchase gives one
 * order, or two sharing a parent_order_id when split; it may also give a cancelled duplicate
 * (same items, minutes to a day later) and a fully refunded extra order (same items, 1 to 30
 * days later, refunded within two weeks); neither duplicate carries a discount or coupon. Amounts come from the items: paid_amount is the sum
 * of quantity x unit_price, gross_amount = paid_amount + discount_amount.
 *
 * Discounts, first match wins: the campaign coupon a treatment contact redeems (every induced
 * purchase; a natural one in the window w.p. naturalRedemptionShare when it meets the
 * threshold); the platform promotion during 618 (06-01..06-18), 双11 (11-01..11-11) and 双12
 * (12-01..12-12); the new-customer coupon on a first purchase of at least 49.
 */
import { endSecond, type SqlContext, u } from "./context.ts";

const S = { redeem: 248, coupon: 254, partialShare: 244, partialAfter: 245, refundedAfter: 243 } as const;

/** Order keys: purchase key x 4 + role (0 the order or first child, 1 second child, 2 cancelled, 3 refunded). */
export const ORDER_ROLES = 4;

/**
 * SQL: the order_id of an order key: 15 digits (10^14 + key), numeric like a marketplace order
 * number and below 2^53, so even a reader that parses it as a number keeps it. Derived, not
 * numbered, so items and reviews need no join to find their order; sorting by the key sorts
 * by the id.
 */
export function orderId(okey: string): string {
  return `(100000000000000 + (${okey}))::VARCHAR`;
}

/**
 * Creates `demo_orders` (okey, pkey, role, ...) with amounts, status and attribution, and
 * `demo_repeat_candidates` (pkey): the purchases that may hold two lines of one product at one
 * price, which output.ts merges.
 */
export function orderRowsSql(ctx: SqlContext): string {
  const { params } = ctx;
  const end = endSecond(ctx);
  const event = "days.is_event";
  const { per, off } = params.orders.eventDiscount;
  return `create or replace table demo_item_totals as
select
    pkey,
    sum(quantity * unit_price)::DECIMAL(18,2) as paid,
    sum(quantity * unit_price) filter (where child = 1)::DECIMAL(18,2) as paid_first_child,
    -- Two lines of one product at one price share their price's fen modulo 64: a purchase whose
    -- lines all differ there holds no such pair. A bit set per purchase, counted, tells which may
    -- (a few percent of those with several lines) without a grouping per line here.
    bit_count(bit_or(1::UBIGINT << ((unit_price * 100)::BIGINT % 64))) < count(*) as may_repeat
from demo_items
group by pkey;

create or replace table demo_repeat_candidates as
select pkey from demo_item_totals where may_repeat;

create or replace table demo_orders as
with totals as (
    select pkey, paid, paid_first_child from demo_item_totals
),

redemptions as (
    select candidates.pkey, candidates.campaign_number
    from demo_redemption_candidates as candidates
    where ${u(ctx, "candidates.pkey", S.redeem)} < ${params.campaigns.naturalRedemptionShare}
),

priced as (
    select
        purchases.*,
        totals.paid,
        totals.paid_first_child,
        coalesce(purchases.campaign_number, redemptions.campaign_number) as offered_campaign
    from demo_purchases as purchases
    inner join totals on totals.pkey = purchases.pkey
    left join redemptions on redemptions.pkey = purchases.pkey
),

discounted as (
    select
        priced.*,
        case
            when campaigns.number is not null and priced.paid + campaigns.amount >= campaigns.threshold
                then campaigns.campaign_id
        end as campaign_id,
        case
            when campaigns.number is not null and priced.paid + campaigns.amount >= campaigns.threshold
                then 'CP' || lpad(campaigns.number::VARCHAR, 3, '0') || '-'
                    || lpad(floor(${u(ctx, "priced.pkey", S.coupon)} * 1000000)::BIGINT::VARCHAR, 6, '0')
            when ${event} then null
            when priced.newcomer and priced.paid >= 49 then 'XINREN10'
        end as coupon_code,
        case
            when campaigns.number is not null and priced.paid + campaigns.amount >= campaigns.threshold
                then campaigns.amount
            when ${event} then ${off} * floor(priced.paid / ${per})
            when priced.newcomer and priced.paid >= 49 then 10
            else 0
        end::DECIMAL(18,2) as discount
    from priced
    inner join demo_days as days on days.day = priced.second // 86400
    left join demo_campaigns as campaigns on campaigns.number = priced.offered_campaign
),

roles as (
    select *, 0 as role, second as order_second from discounted
    union all
    select *, 1, second from discounted where is_split
    union all
    select *, 2, cancelled_second from discounted where cancelled_second is not null
    union all
    select *, 3, refunded_second from discounted where refunded_second is not null
),

amounted as (
    select
        pkey * ${ORDER_ROLES} + role as okey,
        pkey,
        role,
        i,
        order_second,
        channel,
        case when is_split and role <= 1 then 'PAY' || pkey::VARCHAR end as parent_order_id,
        case role when 2 then 'cancelled' when 3 then 'refunded' else status end as status,
        case
            when is_split and role = 0 then paid_first_child
            when is_split and role = 1 then paid - paid_first_child
            else paid
        end::DECIMAL(18,2) as paid_amount,
        -- The duplicates (roles 2 and 3) carry no coupon: the purchase itself used it.
        case
            when role >= 2 then 0
            -- A split checkout's discount is shared in proportion to the children's amounts.
            when is_split and role = 0 then round(discount * paid_first_child / paid, 2)
            when is_split and role = 1 then discount - round(discount * paid_first_child / paid, 2)
            else discount
        end::DECIMAL(18,2) as discount_amount,
        case when role >= 2 then null else coupon_code end as coupon_code,
        case when role >= 2 then null else campaign_id end as campaign_id
    from roles
)

select
    amounted.*,
    (paid_amount + discount_amount)::DECIMAL(18,2) as gross_amount,
    case status
        when 'refunded' then paid_amount
        when 'partially_refunded'
            then greatest(0.01, round(paid_amount * (0.2 + 0.5 * ${u(ctx, "pkey", S.partialShare)}), 2))
        else 0
    end::DECIMAL(18,2) as refunded_amount,
    case status
        when 'refunded'
            then least(${end}, order_second + floor((1 + 13 * ${u(ctx, "pkey", S.refundedAfter)}) * 86400)::BIGINT)
        when 'partially_refunded'
            then least(${end}, order_second + floor((1 + 13 * ${u(ctx, "pkey", S.partialAfter)}) * 86400)::BIGINT)
    end as refunded_second
from amounted;

drop table demo_item_totals`;
}
