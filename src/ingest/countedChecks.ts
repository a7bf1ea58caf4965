/**
 * Checks that count rows without rejecting them, run on the loaded raw tables: orders of
 * customers missing from `customers` (they are purchases like any other), zero-value
 * purchases, statuses that contradict the amounts, and campaign contacts in both groups of a
 * campaign (campaign_response leaves such customers out). The checks of one table share one
 * scan. Pure: SQL per table.
 */

export interface CountedChecks {
  source: string;
  /** The raw tables the SQL reads: when a load kept them all, the previous counts still hold. */
  reads: readonly string[];
  /** Check names, in report order; the SQL returns a count column named after each. */
  checks: readonly string[];
  /** One row: `<check>` counts and `<check>_detail` texts. */
  sql: string;
  /** What a flagged row means, by check (the report's detail when any is flagged). */
  details: Readonly<Record<string, string>>;
}

export const COUNTED_CHECKS: readonly CountedChecks[] = [
  {
    source: "orders",
    reads: ["orders", "customers"],
    checks: ["order_customer_unknown", "zero_value_purchase", "status_amount_mismatch"],
    // A refund larger than the payment, a refund on a paid order, or a "refunded" or
    // "partially_refunded" status whose given refund amount says otherwise.
    sql: `select
            count(*) filter (where customers.customer_id is null) as order_customer_unknown,
            count(distinct orders.customer_id) filter (where customers.customer_id is null) as unknown_customers,
            count(*) filter (where status in ('paid', 'partially_refunded') and paid_amount = 0) as zero_value_purchase,
            count(*) filter (where refunded_amount > paid_amount
                or (status = 'paid' and refunded_amount > 0)
                or (status = 'refunded' and refunded_amount <> paid_amount)
                or (status = 'partially_refunded' and (refunded_amount <= 0 or refunded_amount >= paid_amount))
            ) as status_amount_mismatch
        from raw.orders left join raw.customers using (customer_id)`,
    details: {
      order_customer_unknown:
        "orders whose customer_id is not in customers (loaded; {unknown_customers} customer ids)",
      zero_value_purchase: "paid or partially refunded orders with paid_amount 0",
      status_amount_mismatch: "refunded_amount contradicts the status or exceeds paid_amount",
    },
  },
  {
    source: "campaign_contacts",
    reads: ["campaign_contacts"],
    checks: ["contact_in_both_groups"],
    sql: `with both_groups as (
            select campaign_id, customer_id from raw.campaign_contacts
            group by all having count(distinct "group") > 1
        )
        select count(*) as contact_in_both_groups, (select count(*) from both_groups) as pairs
        from raw.campaign_contacts semi join both_groups using (campaign_id, customer_id)`,
    details: {
      contact_in_both_groups: "contacts of customers in both treatment and holdout ({pairs} pairs)",
    },
  },
];
