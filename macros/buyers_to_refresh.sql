{#
  The customers whose rows a customer-grain incremental model (one row per buyer, facts of
  their purchases) must rebuild: customers_to_refresh's rule (loads, as_of and the `windows`
  moving across their order and refund dates, `settings`, products, deletions), plus what a
  table without a purchase_id column needs besides:
  - the previous owner of a re-exported order that moved to another customer. int_purchases
    rebuilt that customer in this run: their remaining purchases carry a `_loaded_through`
    newer than the loads this table absorbed; a customer left without any purchase is found
    by the table's `purchase_key` column: one of their purchase ids, or (a column whose name
    starts with `_purchase_hash`) its hash(), which was among the moved ones;
  - with `crm_dates=true` (rows holding the customer's CRM state at as_of): as_of moved
    across the day they were created or became a member (is_known_customer, is_member).
  `target` is the model's own relation, with the bookkeeping columns `_loaded_through`,
  `_as_of` (and `_settings` when `settings` is given) and the `purchase_key` column.
#}
{% macro buyers_to_refresh(target, purchase_key, windows=[], settings=none, crm_dates=false) %}
    {% set hashed = purchase_key.startsWith('_purchase_hash') %}
    {% set bookkeeping = purchaseless_target(target, settings) %}
    with
    {{ watermark_ctes(target) }},
    changed as (
        select customer_id from (
            {{ customers_to_refresh(bookkeeping, false, windows, settings) }}
        )
        union all
        select purchases.customer_id
        from {{ ref('int_purchases') }} as purchases, watermark
        where purchases._loaded_through > watermark.loaded_through
        union all
        select previous.customer_id
        from {{ target }} as previous
        where previous.{{ purchase_key }} in (
            select {% if hashed %}hash({% endif %}coalesce(orders.parent_order_id, orders.order_id){% if hashed %}){% endif %}
            from {{ ref('stg_shop__orders') }} as orders, watermark
            where orders._loaded_at > watermark.loaded_through
        )
        {% if crm_dates %}
        union all
        select customers.customer_id
        from {{ ref('stg_shop__customers') }} as customers, moved
        where (cast(customers.created_at as date) > moved.after
                and cast(customers.created_at as date) <= moved.through)
            or (cast(customers.member_since as date) > moved.after
                and cast(customers.member_since as date) <= moved.through)
        {% endif %}
    )
    select distinct customer_id from changed
{% endmacro %}

{#
  The pre_hook of a customer-grain incremental model: notes the customers to rebuild in a
  temporary table the model's query reads (same connection), then deletes their old rows.
  Keeps max(_as_of) at the as_of the table was last built for, which the next run's rule
  measures the move from: after a move back, the rows kept are marked with the new as_of.
  `share=true` (int_buyers: rows made of int_purchases' rows at as_of, whose `windows` compare
  as_of with the purchases' order_date only): takes the rule int_purchases computed this run
  (macros/customers_to_refresh.sql, refresh_customers_hook share=) when it holds for `target` (same as_of,
  loads no newer than `target` absorbed). Those customers are all whose purchases int_purchases
  rebuilt, the previous owners of moved purchases among them; to them it adds the buyers
  with a purchase whose order_date a window's moved edge crossed (read from int_purchases, no
  pass over the orders) and, with `crm_dates`, the CRM date crossings. Otherwise its own rule.
  `before_image`: the model whose before-image to keep of the rows it rebuilds (before_images.sql).
#}
{% macro refresh_buyers_hook(target, name, purchase_key, windows=[], settings=none, crm_dates=false, share=false, before_image=none) %}
    {% if is_incremental() %}
    {% if share %}
    {{ shared_refresh_tables() }}
    set variable huitou_shared_refresh = {{ shared_refresh_holds(target, settings) }};
    -- getvariable is a constant when the statement is planned: the branch not taken is dropped.
    create or replace temp table {{ name }} as
        with
        {{ watermark_ctes(target) }},
        changed as (
            select customer_id from huitou_scratch.refresh_shared_customers
            where getvariable('huitou_shared_refresh') and not by_review
            {% for days in windows %}
            union all
            select purchases.customer_id
            from {{ ref('int_purchases') }} as purchases, moved
            where getvariable('huitou_shared_refresh')
                and purchases.order_date >= moved.after - {{ days }} - 1
                and purchases.order_date <= moved.through - {{ days }} + 1
            {% endfor %}
            {% if crm_dates %}
            union all
            select customers.customer_id
            from {{ ref('stg_shop__customers') }} as customers, moved
            where getvariable('huitou_shared_refresh') and (
                (cast(customers.created_at as date) > moved.after
                    and cast(customers.created_at as date) <= moved.through)
                or (cast(customers.member_since as date) > moved.after
                    and cast(customers.member_since as date) <= moved.through)
            )
            {% endif %}
            union all
            select customer_id from ({{ buyers_to_refresh(target, purchase_key, windows, settings, crm_dates) }})
            where not getvariable('huitou_shared_refresh')
        )
        select distinct customer_id from changed;
    {% else %}
    create or replace temp table {{ name }} as {{ buyers_to_refresh(target, purchase_key, windows, settings, crm_dates) }};
    {% endif %}
    {% if before_image %}{{ keep_before_image(target, name, before_image) }}{% endif %}
    delete from {{ target }} where customer_id in (select customer_id from {{ name }});
    {{ settle_as_of(target) }}
    {% endif %}
{% endmacro %}

{#
  The pre_hook of a snapshot buyer table: rows made of the purchases as they stood at
  as_of - `days` (int_rfm_prior_buyers: days=90; int_clv_calibration_buyers: the calibration
  end, plus int_purchases' days after it). Such a row depends on the buyer's orders and on
  their refund dates around the snapshot day: a refund dated after it has not happened there,
  so a purchase refunded in full by as_of may still count. share=true's band over
  int_purchases' order dates misses both; this hook takes the rule int_purchases computed this
  run when it holds for `target` (the same test as refresh_buyers_hook's, and no row deleted
  since `target`'s loads: a deleted order's buyer may be in `target` alone), and adds:
  - the buyers of every order of a purchase with an order or refund dated in the band the
    snapshot day moved across (as_of - days, a day wider on each side, as customers_to_refresh's
    `windows`): two narrow scans, the band's bounds constants so that DuckDB skips the row
    groups outside it (min/max), then the purchase's other orders (a split purchase's buyer is
    its earliest child's);
  - buyers_to_refresh's previous owners: the table's rows whose `purchase_key` hash names a
    purchase of an order loaded since (a moved purchase that int_purchases does not hold at
    as_of, refunded in full after the snapshot day).
  Otherwise buyers_to_refresh's own rule. `settings` as customers_to_refresh's.
#}
{% macro refresh_snapshot_buyers_hook(target, name, purchase_key, days, settings=none) %}
    {% if is_incremental() %}
    {% set hashed = purchase_key.startsWith('_purchase_hash') %}
    {{ shared_refresh_tables() }}
    set variable huitou_shared_refresh = {{ shared_refresh_holds(target, settings, deletions=true) }};
    -- Constants when a statement is planned (getvariable): column filters DuckDB pushes into
    -- the scans of raw.orders, where row groups outside the band or the loads are skipped.
    set variable huitou_snapshot_band_from = (
        select cast(least(max(previous._as_of), any_value(as_of.as_of)) - {{ days }} - 1 as timestamp)
        from {{ target }} as previous, {{ ref('int_as_of') }} as as_of
    );
    set variable huitou_snapshot_band_until = (
        select cast(greatest(max(previous._as_of), any_value(as_of.as_of)) - {{ days }} + 2 as timestamp)
        from {{ target }} as previous, {{ ref('int_as_of') }} as as_of
    );
    set variable huitou_snapshot_loaded_through = (select coalesce(max(_loaded_through), '-infinity') from {{ target }});
    -- getvariable is a constant when the statement is planned: the branch not taken is dropped.
    create or replace temp table {{ name }} as
        with
        band_orders as (
            -- ordered or refunded on a day in [as_of - days - 1, as_of - days + 1], either as_of
            select orders.order_id, orders.parent_order_id, orders.customer_id
            from {{ ref('stg_shop__orders') }} as orders
            where getvariable('huitou_shared_refresh')
                and orders.ordered_at >= getvariable('huitou_snapshot_band_from')
                and orders.ordered_at < getvariable('huitou_snapshot_band_until')
            union all
            select orders.order_id, orders.parent_order_id, orders.customer_id
            from {{ ref('stg_shop__orders') }} as orders
            where getvariable('huitou_shared_refresh')
                and orders.refunded_at >= getvariable('huitou_snapshot_band_from')
                and orders.refunded_at < getvariable('huitou_snapshot_band_until')
        ),
        changed as (
            select customer_id from huitou_scratch.refresh_shared_customers
            where getvariable('huitou_shared_refresh') and not by_review
            union all
            select customer_id from band_orders
            union all
            -- every order of a band order's purchase (a split purchase's other children)
            select orders.customer_id
            from {{ ref('stg_shop__orders') }} as orders
            where getvariable('huitou_shared_refresh')
                and coalesce(orders.parent_order_id, orders.order_id) in (
                    select coalesce(parent_order_id, order_id) from band_orders
                )
            union all
            select previous.customer_id
            from {{ target }} as previous
            where getvariable('huitou_shared_refresh') and previous.{{ purchase_key }} in (
                select {% if hashed %}hash({% endif %}coalesce(orders.parent_order_id, orders.order_id){% if hashed %}){% endif %}
                from {{ ref('stg_shop__orders') }} as orders
                where orders._loaded_at > getvariable('huitou_snapshot_loaded_through')
            )
            union all
            select customer_id from ({{ buyers_to_refresh(target, purchase_key, [days], settings) }})
            where not getvariable('huitou_shared_refresh')
        )
        select distinct customer_id from changed;
    delete from {{ target }} where customer_id in (select customer_id from {{ name }});
    {{ settle_as_of(target) }}
    {% endif %}
{% endmacro %}
