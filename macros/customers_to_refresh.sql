{#
  The customers whose purchase-grain rows an incremental run must rebuild: every row of a
  customer depends on all of their orders (order_seq, days_since_prev), so a change anywhere
  in a customer's history rebuilds all of that customer's rows, and nobody else's.
  `target` is the incremental model's own relation (or a query over it), which records in
  every row the newest load it has absorbed (`_loaded_through`), the as_of it was built for
  (`_as_of`) and the purchase it is of (`purchase_id`, null at another grain).
  An order is touched when, since then:
  - it was loaded (a new order, or one re-exported with a new status: a refund, a
    cancellation, or another customer), or an item line of it was loaded;
  - as_of moved across its order date or refund date (the purchase enters or leaves the
    analysis, or its refund starts to count);
  - with `reviews=true` (int_purchase_reviews): a review of it was loaded, or as_of moved
    across the review's date.
  A purchase is touched when one of its orders is, and its buyer is the earliest child's, who
  may be another customer than the touched order's: so the customers rebuilt are those of every
  order of a touched purchase, and the purchase's owner in `target` (it may have moved to
  another customer since). Also rebuilt: customers whose CRM row changed (member_since decides
  is_member_at_order); and everybody when a product changed (its unit_cost prices every item
  line) or when a full reload found rows gone (raw.row_deletions, written by the ingest: a
  deleted row leaves no `_loaded_at` behind).
  `windows`: day offsets d of the windows a model's rows depend on besides as_of itself (a
  "last 365 days" count: 364; a snapshot at as_of - 90: 90). An order is also touched when
  as_of - d moved across its order or refund date; the band is widened by a day on each side,
  so a window's own choice of < or <= cannot slip through (a few extra customers rebuilt cost
  nothing).
  `settings`: a text of the var values a model's stored rows depend on; the model stores it in
  a `_settings` column, and everybody is rebuilt when it differs (vars are not part of the
  definition hash, see src/engine/incrementalState.ts).
  Cost: narrow passes, no join of whole tables: the orders twice (the touched orders, then the
  orders of the touched purchases), the item lines' and reviews' `_loaded_at` once, and
  `target` twice (its watermark, its owners of the touched purchases).
#}
{#
  The two CTEs every rebuild rule starts from: `watermark`, the newest load `target` absorbed
  (-infinity for a table built from no rows, e.g. before the first campaign contacts arrived:
  every row then counts as new, where a comparison with null would take none) and the as_of it
  was last built for; and `moved`, the days between that as_of and this run's, either way.
#}
{% macro watermark_ctes(target) %}
    watermark as (
        select coalesce(max(_loaded_through), '-infinity') as loaded_through, max(_as_of) as previous_as_of,
        from {{ target }}
    ),
    moved as (
        select
            least(watermark.previous_as_of, as_of.as_of) as after,
            greatest(watermark.previous_as_of, as_of.as_of) as through,
        from watermark, {{ ref('int_as_of') }} as as_of
    )
{% endmacro %}

{% macro customers_to_refresh(target, reviews=false, windows=[], settings=none) %}
    select customer_id from ({{ touched_customers(target, reviews, windows, settings) }})
{% endmacro %}

{#
  customers_to_refresh's rule, one row per customer with `by_review`: true when only a review
  (loaded, crossed by as_of, deleted) puts them in the set. int_purchases computes the rule once
  with reviews=true and shares it (refresh_customers_hook, share=): its own rows need the
  customers that are not by_review, int_purchase_reviews' all of them.
#}
{% macro touched_customers(target, reviews=false, windows=[], settings=none) %}
    {#- An order named by anything but a review: loaded, an item line of it loaded, or as_of
        (or as_of - d) moved across its order or refund date. -#}
    {% set named_by_orders %}
            orders._loaded_at > watermark.loaded_through
            or (orders.order_date > moved.after and orders.order_date <= moved.through)
            or (cast(orders.refunded_at as date) > moved.after
                and cast(orders.refunded_at as date) <= moved.through)
            {% for days in windows %}
            or (orders.order_date >= moved.after - {{ days }} - 1
                and orders.order_date <= moved.through - {{ days }} + 1)
            or (cast(orders.refunded_at as date) >= moved.after - {{ days }} - 1
                and cast(orders.refunded_at as date) <= moved.through - {{ days }} + 1)
            {% endfor %}
            or orders.order_id in (select order_id from item_orders)
    {% endset %}
    with
    {{ watermark_ctes(target) }},
    item_orders as (
        -- orders named by an item line loaded since (an item line of an old order)
        select items.order_id
        from {{ ref('stg_shop__order_items') }} as items, watermark
        where items._loaded_at > watermark.loaded_through
    ),
    {% if reviews %}
    review_orders as (
        select reviews.order_id
        from {{ ref('stg_shop__reviews') }} as reviews, watermark, moved
        where reviews._loaded_at > watermark.loaded_through
            or (cast(reviews.created_at as date) > moved.after
                and cast(reviews.created_at as date) <= moved.through)
    ),
    {% endif %}
    touched_orders as (
        -- One pass over the orders: each condition is a column test, the names a hash probe.
        select
            orders.order_id,
            orders.parent_order_id,
            -- not one of the other conditions held (null: none true, one unknown, as a
            -- comparison with a null refund date is): only a review named the order
            coalesce(not ({{ named_by_orders }}), true) as by_review,
        from {{ ref('stg_shop__orders') }} as orders, watermark, moved
        where {{ named_by_orders }}
            {% if reviews %}or orders.order_id in (select order_id from review_orders){% endif %}
    ),
    touched_purchases as (
        select
            coalesce(parent_order_id, order_id) as purchase_id,
            bool_and(by_review) as by_review,
        from touched_orders
        group by all
    ),
    reloaded as (
        -- the rules that rebuild everybody: a changed product, a deleted row
        select
            exists (
                select 1 from {{ ref('stg_shop__products') }} as products, watermark
                where products._loaded_at > watermark.loaded_through
            ) or exists (
                -- read by name: the ingest's bookkeeping, not a source of the shop
                select 1 from raw.row_deletions as deletions, watermark
                where deletions.deleted_at > watermark.loaded_through
                    and deletions.source in ('orders', 'order_items', 'customers', 'products')
            ){% if settings is not none %} or exists (
                select 1 from {{ target }} as previous
                where previous._settings is distinct from '{{ settings }}'
            ){% endif %} as everybody,
            {% if reviews %}
            exists (
                select 1 from raw.row_deletions as deletions, watermark
                where deletions.deleted_at > watermark.loaded_through
                    and deletions.source = 'reviews'
            ) as everybody_by_review,
            {% else %}
            false as everybody_by_review,
            {% endif %}
    ),
    changed as (
        -- the buyers of every order of a touched purchase (the touched orders' own among them)
        select orders.customer_id, touched_purchases.by_review
        from {{ ref('stg_shop__orders') }} as orders
        inner join touched_purchases
            on coalesce(orders.parent_order_id, orders.order_id) = touched_purchases.purchase_id
        union all
        select previous.customer_id, touched_purchases.by_review
        from {{ target }} as previous
        inner join touched_purchases
            on previous.purchase_id = touched_purchases.purchase_id
        union all
        select customers.customer_id, false
        from {{ ref('stg_shop__customers') }} as customers, watermark
        where customers._loaded_at > watermark.loaded_through
        union all
        select everybody.customer_id, not reloaded.everybody
        from (
            select customer_id from {{ ref('stg_shop__orders') }}
            union all
            select customer_id from {{ target }}
        ) as everybody, reloaded
        where reloaded.everybody or reloaded.everybody_by_review
    )
    select customer_id, bool_and(by_review) as by_review from changed group by customer_id
{% endmacro %}

{#
  The pre_hook of a customer-grain incremental model: notes the customers to rebuild in a
  temporary table `name`, and the orders of their purchases (orders_to_refresh) as they stand
  at as_of in `name`_orders (the columns of int_order_snapshots, every status), which the
  model's query reads (same connection) instead of int_orders_as_of; then deletes their old
  rows. Temporary tables: DuckDB knows how few rows they hold and builds its hash joins on
  them, and the order table is scanned once per model, not once per reader.
  `share`: the purchase-grain tables compute the rule once a run (its passes over the orders
  cost more than the rows rebuilt). 'publish' (int_purchases): computes it with reviews=true
  and copies both tables to the scratch schema (shared_refresh_tables below); 'reuse' (int_purchase_items,
  int_purchase_reviews, which run after it): takes that copy when it holds for this table,
  else computes its own.
  `before_image`: the model whose before-image to keep of the rows it rebuilds, for the
  aggregates kept by deltas (before_images.sql).
#}
{% macro refresh_customers_hook(target, name, reviews=false, windows=[], settings=none, share=none, before_image=none) %}
    {% if is_incremental() %}
    {% if share == 'reuse' %}
    {{ shared_refresh_tables() }}
    set variable huitou_shared_refresh = {{ shared_refresh_holds(target) }};
    -- getvariable is a constant when the statement is planned: the branch not taken is dropped.
    create or replace temp table {{ name }} as
        select customer_id from huitou_scratch.refresh_shared_customers
        where getvariable('huitou_shared_refresh'){% if not reviews %} and not by_review{% endif %}
        union all
        select customer_id from ({{ customers_to_refresh(target, reviews, windows, settings) }})
        where not getvariable('huitou_shared_refresh');
    create or replace temp table {{ name }}_orders as
        select * from huitou_scratch.refresh_shared_orders
        where getvariable('huitou_shared_refresh')
        union all
        select * from ({{ refresh_orders_at_as_of(name) }})
        where not getvariable('huitou_shared_refresh');
    {% elif share == 'publish' %}
    -- the rule with reviews: by_review marks those only int_purchase_reviews needs
    create or replace temp table {{ name }}_touched as {{ touched_customers(target, true, windows, settings) }};
    create or replace temp table {{ name }} as
        select customer_id from {{ name }}_touched where not by_review;
    create or replace temp table {{ name }}_orders as {{ refresh_orders_at_as_of(name + '_touched') }};
    {{ shared_refresh_tables() }}
    insert into huitou_scratch.refresh_shared_watermark
        select coalesce(max(_loaded_through), '-infinity'), max(_as_of) from {{ target }};
    insert into huitou_scratch.refresh_shared_customers select customer_id, by_review from {{ name }}_touched;
    insert into huitou_scratch.refresh_shared_orders select * from {{ name }}_orders;
    {% else %}
    create or replace temp table {{ name }} as {{ customers_to_refresh(target, reviews, windows, settings) }};
    create or replace temp table {{ name }}_orders as {{ refresh_orders_at_as_of(name) }};
    {% endif %}
    -- what the rows about to go held, for the aggregates kept by deltas (before_images.sql)
    {% if before_image %}{{ keep_before_image(target, name, before_image) }}{% endif %}
    delete from {{ target }} where customer_id in (select customer_id from {{ name }});
    {{ settle_as_of(target) }}
    {% endif %}
{% endmacro %}

{#
  The orders of the purchases of the customers in `customers` (orders_to_refresh) as rows of
  int_order_snapshots at as_of: refresh_customers_hook's `_orders` table.
#}
{% macro refresh_orders_at_as_of(customers) %}
    with
    orders as ({{ orders_to_refresh(customers) }}),
    snapshots as (
        select 'as_of' as snapshot, as_of as snapshot_date from {{ ref('int_as_of') }}
    )
    select * from ({{ order_snapshot_rows('orders', 'snapshots') }})
{% endmacro %}

{#
  The scratch tables through which int_purchases shares its rebuild set with the purchase-grain
  tables built after it in the same run (refresh_customers_hook, share=): created empty when
  missing, so a run in which int_purchases was not built incrementally finds no copy. The
  session drops the scratch schema before the warehouse is published, so a copy never outlives
  its run.
#}
{% macro shared_refresh_tables() %}
    create table if not exists huitou_scratch.refresh_shared_watermark (
        loaded_through timestamp,
        previous_as_of date
    );
    create table if not exists huitou_scratch.refresh_shared_customers (
        customer_id varchar,
        by_review boolean
    );
    create table if not exists huitou_scratch.refresh_shared_orders as
        with
        orders as (select * from {{ ref('stg_shop__orders') }} limit 0),
        snapshots as (select 'as_of' as snapshot, cast(null as date) as snapshot_date)
        select * from ({{ order_snapshot_rows('orders', 'snapshots') }});
{% endmacro %}

{#
  Whether the rule int_purchases copied to the scratch schema this run holds for `target`: it
  was computed against the same as_of and from loads no newer than those `target` absorbed (it
  then names everybody `target`'s own rule would). `settings`: also, every row of `target` was
  built under them. `deletions=true`: also, no load deleted rows since `target`'s loads (a
  deleted order's buyer may be in `target` alone). A boolean expression.
#}
{% macro shared_refresh_holds(target, settings=none, deletions=false) %}
    (
        select count(*) > 0
        from huitou_scratch.refresh_shared_watermark as shared
        where shared.loaded_through <= (select coalesce(max(_loaded_through), '-infinity') from {{ target }})
            and shared.previous_as_of = (select max(_as_of) from {{ target }})
            {% if deletions %}and not exists (
                select 1 from raw.row_deletions as deletions
                where deletions.deleted_at > (select coalesce(max(_loaded_through), '-infinity') from {{ target }})
            ){% endif %}
            {% if settings is not none %}and not exists (
                select 1 from {{ target }} as previous
                where previous._settings is distinct from '{{ settings }}'
            ){% endif %}
    )
{% endmacro %}

{#
  After an incremental run's rebuild set is known: no kept row of `target` may record an
  `_as_of` later than this run's. The rule above takes the previous as_of as max(_as_of); after
  as_of moved back (X to Y), the kept rows still say X though they now stand for Y, and a later
  move forward past X would miss the customers with dates in (Y, X], rebuilt at Y. Kept rows
  are valid at this run's as_of (nothing of theirs lies between the two), so saying so is
  true; moving forward, no row matches and the scan is skipped by DuckDB's min/max.
#}
{% macro settle_as_of(target) %}
    update {{ target }} set _as_of = (select as_of from {{ ref('int_as_of') }})
    where _as_of > (select as_of from {{ ref('int_as_of') }});
{% endmacro %}
