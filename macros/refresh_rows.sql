{#
  The rows an incremental run rebuilds from: the orders of the rebuilt customers' purchases
  (orders_to_refresh), each order as it stands at a snapshot day (order_snapshot_rows, which
  int_order_snapshots applies to every order), the purchases they make (purchases_of, which
  int_purchase_snapshots applies to every order), the snapshot tables' purchases
  (snapshot_purchases), and the bookkeeping columns (newest_load, purchaseless_target). The
  rules that pick the customers are in customers_to_refresh.sql and buyers_to_refresh.sql.
#}

{#
  The orders an incremental run reads to rebuild the customers of the temporary table
  `customers` (rows of stg_shop__orders): every order of every purchase one of them has an
  order in. A split purchase's children may name other buyers, and the purchase is the
  earliest child's: so the model builds these purchases whole, then keeps those whose buyer is
  being rebuilt. Two passes over the orders: their purchase ids (three columns), then the rows.
#}
{% macro orders_to_refresh(customers) %}
    select * from {{ ref('stg_shop__orders') }}
    where coalesce(parent_order_id, order_id) in (
        select coalesce(mine.parent_order_id, mine.order_id)
        from {{ ref('stg_shop__orders') }} as mine
        where mine.customer_id in (select customer_id from {{ customers }})
    )
{% endmacro %}

{#
  The newest raw load among `models` (staging models of the tables a row is made of): the
  `_loaded_through` an incremental row records, against which the next run's loads compare.
#}
{% macro newest_load(models) %}
    greatest(
        {% for model in models %}
        (select max(_loaded_at) from {{ ref(model) }}){% if not loop.last %},{% endif %}
        {% endfor %}
    )
{% endmacro %}

{#
  The purchases of `orders` (a relation or CTE with the rows of int_order_snapshots that are
  purchases, at one or more snapshots): split orders sharing a parent_order_id merged into one
  (id = the parent id, time = the earliest child's, amounts summed, customer, channel, coupon
  and campaign from the earliest child, ties between children broken by order_id as bytes).
  Here, beside the refresh rule, because an incremental run calls it on the orders of the
  customers it rebuilds (orders_to_refresh: whole purchases), a full build on every order:
  int_purchase_snapshots and int_purchases share one definition, and a filter need not reach
  through a view's aggregation (DuckDB does not push a semi join below a GROUP BY).
#}
{% macro purchases_of(orders) %}
    with
    parent_ids as (
        -- Per snapshot, so that a reader's `where snapshot = ...` reaches this scan too.
        select distinct snapshot, parent_order_id as purchase_id
        from {{ orders }}
        where parent_order_id is not null
    ),
    single_orders as (
        -- Most purchases are one order: no aggregation needed.
        select
            orders.snapshot,
            orders.snapshot_date,
            orders.purchase_id,
            orders.customer_id,
            orders.ordered_at,
            orders.order_date,
            orders.order_month,
            orders.channel,
            orders.coupon_code,
            orders.campaign_id,
            1 as orders_merged,
            orders.paid_amount,
            orders.refunded_amount,
            cast(orders.paid_amount - orders.refunded_amount as decimal(18, 2)) as net_revenue,
            orders.discount_amount,
        from {{ orders }} as orders
        anti join parent_ids
            on orders.snapshot = parent_ids.snapshot
            and orders.purchase_id = parent_ids.purchase_id
    ),
    split_orders_merged as (
        -- The earliest child is the one with the smallest (ordered_at, order_id).
        select
            orders.snapshot,
            any_value(orders.snapshot_date) as snapshot_date,
            orders.purchase_id,
            arg_min(orders.customer_id, (orders.ordered_at, orders.order_id)) as customer_id,
            min(orders.ordered_at) as ordered_at,
            cast(min(orders.ordered_at) as date) as order_date,
            cast(date_trunc('month', min(orders.ordered_at)) as date) as order_month,
            arg_min(orders.channel, (orders.ordered_at, orders.order_id)) as channel,
            arg_min(orders.coupon_code, (orders.ordered_at, orders.order_id)) as coupon_code,
            arg_min(orders.campaign_id, (orders.ordered_at, orders.order_id)) as campaign_id,
            count(*) as orders_merged,
            -- Sums back to the contract's money type: DECIMAL(38, 2) is twice as wide and slower.
            cast(sum(orders.paid_amount) as decimal(18, 2)) as paid_amount,
            cast(sum(orders.refunded_amount) as decimal(18, 2)) as refunded_amount,
            cast(sum(orders.paid_amount) - sum(orders.refunded_amount) as decimal(18, 2)) as net_revenue,
            cast(sum(orders.discount_amount) as decimal(18, 2)) as discount_amount,
        from {{ orders }} as orders
        semi join parent_ids
            on orders.snapshot = parent_ids.snapshot
            and orders.purchase_id = parent_ids.purchase_id
        group by orders.snapshot, orders.purchase_id
    )
    select * from single_orders
    union all
    select * from split_orders_merged
{% endmacro %}

{#
  The rows of int_order_snapshots for `orders` (rows of stg_shop__orders) at `snapshots`
  (snapshot, snapshot_date): every order placed by the end of the snapshot day as it stood
  then (a refund dated later has not happened; refunds clamped to [0, paid_amount]), with its
  purchase_id and is_purchase. int_order_snapshots calls it on every order; an incremental run
  (refresh_customers_hook) on the orders it rebuilds, filtered before this logic: DuckDB
  estimates the view's inequality join at a few hundred rows and would hash the whole order
  table rather than the few orders it is joined with.
#}
{% macro order_snapshot_rows(orders, snapshots) %}
    with
    orders_until_snapshot as (
        select
            snapshots.snapshot,
            snapshots.snapshot_date,
            orders.*,
            orders.refunded_at is not null
                and cast(orders.refunded_at as date) > snapshots.snapshot_date as is_refund_after_snapshot,
        from {{ snapshots }} as snapshots
        inner join {{ orders }} as orders
            on orders.order_date <= snapshots.snapshot_date
    ),

    adjusted as (
        select
            snapshot,
            snapshot_date,
            order_id,
            coalesce(parent_order_id, order_id) as purchase_id,
            parent_order_id,
            customer_id,
            ordered_at,
            order_date,
            cast(date_trunc('month', order_date) as date) as order_month,
            status as raw_status,
            case
                when is_refund_after_snapshot and status in ('refunded', 'partially_refunded') then 'paid'
                else status
            end as status,
            channel,
            gross_amount,
            discount_amount,
            paid_amount,
            case
                when is_refund_after_snapshot then cast(0 as decimal(18, 2))
                else greatest(cast(0 as decimal(18, 2)), least(refunded_amount, paid_amount))
            end as refunded_amount,
            case when is_refund_after_snapshot then null else refunded_at end as refunded_at,
            coupon_code,
            campaign_id,
        from orders_until_snapshot
    ),

    final as (
        select
            *,
            status in ('paid', 'partially_refunded') as is_purchase,
        from adjusted
    )
    select * from final
{% endmacro %}

{#
  `target`'s bookkeeping as customers_to_refresh reads it, for a table of another grain than the
  purchase (one row per buyer, per contact): its rows name no purchase_id, so that rule's
  "previous owner" part finds nothing and the caller adds its own.
#}
{% macro purchaseless_target(target, settings=none) %}(
    select
        customer_id,
        _loaded_through,
        _as_of,
        {% if settings is not none %}_settings,{% endif %}
        cast(null as varchar) as purchase_id,
    from {{ target }}
){% endmacro %}

{#
  The purchases as they stood at the end of `snapshot` (`snapshot_date`: an expression over
  int_as_of's `as_of`): in an incremental run only those of the customers in the temporary
  table `refresh`, merged here from their orders (DuckDB does not push a customer filter
  through int_purchase_snapshots' aggregation, so filtering the view would merge every
  purchase of the snapshot); in a full build the view's. A subquery.
#}
{% macro snapshot_purchases(snapshot, snapshot_date, refresh) %}(
    {% if is_incremental() %}
    with
    refresh_orders as ({{ orders_to_refresh(refresh) }}),
    snapshots as (
        select '{{ snapshot }}' as snapshot, {{ snapshot_date }} as snapshot_date
        from {{ ref('int_as_of') }}
    ),
    refresh_snapshot_orders as (
        select * from ({{ order_snapshot_rows('refresh_orders', 'snapshots') }})
        where is_purchase
    ),
    refresh_purchases as ({{ purchases_of('refresh_snapshot_orders') }})
    -- a purchase merged here may be another customer's (a split child of a rebuilt one)
    select * from refresh_purchases
    where customer_id in (select customer_id from {{ refresh }})
    {% else %}
    select * from {{ ref('int_purchase_snapshots') }}
    where snapshot = '{{ snapshot }}'
    {% endif %}
){% endmacro %}
