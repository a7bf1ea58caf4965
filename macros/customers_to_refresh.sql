{#
  The customers whose purchase-grain rows an incremental run must rebuild: every row of a
  customer depends on all of their orders (order_seq, days_since_prev), so a change anywhere
  in a customer's history rebuilds all of that customer's rows, and nobody else's.
  `target` is the incremental model's own relation, which records in every row the newest
  load it has absorbed (`_loaded_through`) and the as_of it was built for (`_as_of`).
  A customer is rebuilt when, since then:
  - one of their orders or item lines was loaded (a new order, or one re-exported with a new
    status: a refund, a cancellation), or a re-exported order moved to another customer;
  - their CRM row changed (member_since decides is_member_at_order);
  - as_of moved across one of their order dates or refund dates (the purchase enters or
    leaves the analysis, or its refund starts to count);
  and every customer when a product changed (its unit_cost prices every item line) or when a
  full reload found rows gone (raw.row_deletions, written by the ingest: a deleted row leaves
  no `_loaded_at` behind). With `reviews=true` (int_purchase_reviews) also when one of their
  reviews was loaded or as_of moved across its date.
  `windows`: day offsets d of the windows a model's rows depend on besides as_of itself (a
  "last 365 days" count: 364; a snapshot at as_of - 90: 90). A customer is also rebuilt when
  as_of - d moved across one of their order or refund dates; the band is widened by a day on
  each side, so a window's own choice of < or <= cannot slip through (a few extra customers
  rebuilt cost nothing).
  `settings`: a text of the var values a model's stored rows depend on; the model stores it in
  a `_settings` column, and everybody is rebuilt when it differs (vars are not part of the
  definition hash, see src/engine/incrementalState.ts).
#}
{% macro customers_to_refresh(target, reviews=false, windows=[], settings=none) %}
    with
    watermark as (
        select max(_loaded_through) as loaded_through, max(_as_of) as previous_as_of,
        from {{ target }}
    ),
    moved as (
        select
            least(watermark.previous_as_of, as_of.as_of) as after,
            greatest(watermark.previous_as_of, as_of.as_of) as through,
        from watermark, {{ ref('int_as_of') }} as as_of
    ),
    loaded_orders as (
        select orders.order_id, orders.parent_order_id, orders.customer_id
        from {{ ref('stg_shop__orders') }} as orders, watermark
        where orders._loaded_at > watermark.loaded_through
    ),
    changed as (
        select customer_id from loaded_orders
        union all
        select previous.customer_id from {{ target }} as previous
        where previous.purchase_id in (
            select coalesce(parent_order_id, order_id) from loaded_orders
        )
        union all
        select orders.customer_id
        from {{ ref('stg_shop__order_items') }} as items
        inner join {{ ref('stg_shop__orders') }} as orders
            on items.order_id = orders.order_id
        cross join watermark
        where items._loaded_at > watermark.loaded_through
        union all
        select customers.customer_id
        from {{ ref('stg_shop__customers') }} as customers, watermark
        where customers._loaded_at > watermark.loaded_through
        union all
        select orders.customer_id
        from {{ ref('stg_shop__orders') }} as orders, moved
        where (orders.order_date > moved.after and orders.order_date <= moved.through)
            or (cast(orders.refunded_at as date) > moved.after
                and cast(orders.refunded_at as date) <= moved.through)
        {% if reviews %}
        union all
        select orders.customer_id
        from {{ ref('stg_shop__reviews') }} as reviews
        inner join {{ ref('stg_shop__orders') }} as orders
            on reviews.order_id = orders.order_id
        cross join watermark
        cross join moved
        where reviews._loaded_at > watermark.loaded_through
            or (cast(reviews.created_at as date) > moved.after
                and cast(reviews.created_at as date) <= moved.through)
        {% endif %}
        {% for days in windows %}
        union all
        select orders.customer_id
        from {{ ref('stg_shop__orders') }} as orders, moved
        where (orders.order_date >= moved.after - {{ days }} - 1
                and orders.order_date <= moved.through - {{ days }} + 1)
            or (cast(orders.refunded_at as date) >= moved.after - {{ days }} - 1
                and cast(orders.refunded_at as date) <= moved.through - {{ days }} + 1)
        {% endfor %}
        union all
        select everybody.customer_id
        from (
            select customer_id from {{ ref('stg_shop__orders') }}
            union all
            select customer_id from {{ target }}
        ) as everybody
        where exists (
            select 1 from {{ ref('stg_shop__products') }} as products, watermark
            where products._loaded_at > watermark.loaded_through
        ) or exists (
            -- read by name: the ingest's bookkeeping, not a source of the shop
            select 1 from raw.row_deletions as deletions, watermark
            where deletions.deleted_at > watermark.loaded_through
                and deletions.source in ('orders', 'order_items', 'customers', 'products'{% if reviews %}, 'reviews'{% endif %})
        ){% if settings is not none %} or exists (
            select 1 from {{ target }} as previous
            where previous._settings is distinct from '{{ settings }}'
        ){% endif %}
    )
    select distinct customer_id from changed
{% endmacro %}

{#
  The pre_hook of a customer-grain incremental model: notes the customers to rebuild in a
  temporary table the model's query reads (same connection), then deletes their old rows.
#}
{% macro refresh_customers_hook(target, name, reviews=false, windows=[], settings=none) %}
    {% if is_incremental() %}
    create or replace temp table {{ name }} as {{ customers_to_refresh(target, reviews, windows, settings) }};
    delete from {{ target }} where customer_id in (select customer_id from {{ name }});
    {% endif %}
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
