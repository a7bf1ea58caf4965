/**
 * Checks that count rows without rejecting them, run on the loaded raw tables: orders of
 * customers missing from `customers` (they are purchases like any other), zero-value
 * purchases, statuses that contradict the amounts, and campaign contacts in both groups of a
 * campaign (campaign_response leaves such customers out). Pure: SQL per check.
 */

export interface CountedCheck {
  source: string;
  check: string;
  /** SQL returning one row `{flagged, detail}`. */
  sql: string;
}

export const COUNTED_CHECKS: readonly CountedCheck[] = [
  {
    source: "orders",
    check: "order_customer_unknown",
    sql: `select count(*) as flagged,
            count(distinct customer_id) || ' customer ids not in customers' as detail
        from raw.orders
        where not exists (select 1 from raw.customers where raw.customers.customer_id = raw.orders.customer_id)`,
  },
  {
    source: "orders",
    check: "zero_value_purchase",
    sql: `select count(*) as flagged, 'paid or partially refunded with paid_amount 0' as detail
        from raw.orders where status in ('paid', 'partially_refunded') and paid_amount = 0`,
  },
  {
    source: "orders",
    check: "status_amount_mismatch",
    // A refund larger than the payment, a refund on a paid order, or a "refunded" or
    // "partially_refunded" status whose given refund amount says otherwise.
    sql: `select count(*) as flagged, 'refunded_amount contradicts status or paid_amount' as detail
        from raw.orders
        where refunded_amount > paid_amount
            or (status = 'paid' and refunded_amount > 0)
            or (status = 'refunded' and refunded_amount <> paid_amount)
            or (status = 'partially_refunded' and (refunded_amount <= 0 or refunded_amount >= paid_amount))`,
  },
  {
    source: "campaign_contacts",
    check: "contact_in_both_groups",
    sql: `with both_groups as (
            select campaign_id, customer_id from raw.campaign_contacts
            group by all having count(distinct "group") > 1
        )
        select count(*) as flagged,
            (select count(*) from both_groups) || ' (campaign, customer) pairs in treatment and holdout' as detail
        from raw.campaign_contacts semi join both_groups using (campaign_id, customer_id)`,
  },
];
