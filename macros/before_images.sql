{#
  Before-images and aggregates kept by deltas.

  A customer-grain incremental table (int_purchases, int_buyers) keeps, in the run that rebuilds
  some of its customers, what it held for them before: an aggregate summed over customers
  (int_repurchase_cells) then moves by those customers' new contribution minus their old one
  instead of summing every customer again. Images live in the scratch schema, which the
  session drops before it publishes the warehouse: an image never outlives its run.
#}

{#
  The state of an incremental table that an aggregate built from it records: the newest load it
  absorbed, the as_of it was built for, its row count. Two builds of the same table with the
  same state hold the same rows, but for one change that moves none of the three: a load that
  only deleted rows, which delta_cells_hook checks for itself.
#}
{% macro table_state(relation) %}
    select
        coalesce(cast(max(_loaded_through) as varchar), '-') || '|'
            || coalesce(cast(max(_as_of) as varchar), '-') || '|'
            || cast(count(*) as varchar) as state,
    from {{ relation }}
{% endmacro %}

{#
  The columns of each input that the aggregates kept by deltas read (repurchase_cells.sql,
  churn_cells.sql): all an image keeps, and all those aggregates see of the input. Only these:
  the rows of a few thousand customers lie all over the table, and reading every column of it
  costs ten times more than reading these.
#}
{% macro image_columns(input) -%}
    {%- if input == 'int_purchases' -%}
    customer_id, channel, order_date, order_month, net_revenue, gross_margin, days_since_prev, order_seq
    {%- elif input == 'int_buyers' -%}
    customer_id, cohort_month, tier, acquisition_channel, purchases, last_purchase_date
    {%- elif input == 'int_purchase_items' -%}
    customer_id, purchase_id, category
    {%- elif input == 'int_purchase_reviews' -%}
    customer_id, purchase_id, rating
    {%- endif -%}
{%- endmacro %}

{#
  Written by the pre_hook of the customer-grain incremental table `input` once its rebuild set
  is known (the temporary table `customers`) and before it deletes their rows:
  - huitou_scratch.before_<input>: their rows as they stand (image_columns; a new buyer has none);
  - huitou_scratch.before_<input>_customers: the rebuild set;
  - huitou_scratch.before_<input>_state: the table's state before the run (table_state).
#}
{% macro keep_before_image(target, customers, input) %}
    create or replace table huitou_scratch.before_{{ input }}_state as {{ table_state(target) }};
    create or replace table huitou_scratch.before_{{ input }}_customers as
        select distinct customer_id from {{ customers }};
    create or replace table huitou_scratch.before_{{ input }} as
        select {{ image_columns(input) }} from {{ target }}
        where customer_id in (select customer_id from {{ customers }});
{% endmacro %}

{#
  The pre_hook of an aggregate kept by deltas: a table of additive measures by key, each row a
  sum over customers, whose contribution reads the customer-grain `inputs` (model names; each
  keeps the image `before_<model>`). The delta holds when every input kept an image in this
  run, the states those images record (the inputs before this run) are the ones the table
  recorded when it was last built (its `_input_states` column), and no load deleted rows since
  then. It then copies the table's rows to the temporary table `name`_previous, which
  delta_cells_select adds the delta to; either way it empties the table (a few thousand rows),
  which the model's query fills again. The flag is a constant when the query is planned
  (getvariable): the branch not taken is dropped.
#}
{% macro delta_cells_hook(target, name, inputs, settings='') %}
    {% if is_incremental() %}
    {% for input in inputs %}
    create table if not exists huitou_scratch.before_{{ input }} as
        select {{ image_columns(input) }} from {{ ref(input) }} limit 0;
    create table if not exists huitou_scratch.before_{{ input }}_customers (customer_id varchar);
    create table if not exists huitou_scratch.before_{{ input }}_state (state varchar);
    {% endfor %}
    -- coalesce: without images their states are null, and so would the flag be, taking neither branch
    set variable huitou_delta_{{ name }} = coalesce((
        select count(*) = 1 and bool_and(previous._input_states = ({{ image_states(inputs) }}) || '{{ settings }}')
        from (select distinct _input_states from {{ target }}) as previous
    ), false) and not exists (
        select 1 from raw.row_deletions as deletions
        where deletions.deleted_at > (
            select min(cast(split_part(state, '|', 1) as timestamp))
            from ({% for input in inputs %}select state from huitou_scratch.before_{{ input }}_state{% if not loop.last %} union all {% endif %}{% endfor %})
            where split_part(state, '|', 1) <> '-'
        )
    );
    create or replace temp table {{ name }}_previous as
        select * exclude (_built_by, _input_states) from {{ target }}
        where getvariable('huitou_delta_{{ name }}');
    delete from {{ target }};
    {% endif %}
{% endmacro %}

{# The states of `inputs` as one text: before this run (their images), or now (their tables). #}
{% macro image_states(inputs) %}
    {% for input in inputs %}(select any_value(state) from huitou_scratch.before_{{ input }}_state){% if not loop.last %} || ';' || {% endif %}{% endfor %}
{% endmacro %}
{% macro current_states(inputs) %}
    {% for input in inputs %}({{ table_state(ref(input)) }}){% if not loop.last %} || ';' || {% endif %}{% endfor %}
{% endmacro %}

{#
  The query of an aggregate kept by deltas. `cells(relations)` is a macro returning the
  contribution of the rows of `relations` (one relation or CTE per input, in the order of
  `inputs`) by `keys`, as sums of `measures`. A full build sums every customer. A refresh whose
  delta holds (delta_cells_hook) sums the previous rows, the rebuilt customers' new
  contribution and their old one negated, and drops the keys left without a contribution
  (every measure of `presence` 0: `cells` must drop such keys too, so both ways agree).
  The customers rebuilt: those of any input's image. Their old rows of an input: its image,
  plus their current rows when that input did not rebuild them (not in its image's set).
  `_built_by` says which way a row was made; `_input_states`, the states of the inputs it
  reflects and `settings` (the var values the contribution depends on, as for
  customers_to_refresh: a change sums every customer again).
#}
{% macro delta_cells_select(name, inputs, cells, keys, measures, presence, settings='') %}
    {% set full_relations = [] %}
    {% set new_relations = [] %}
    {% set old_relations = [] %}
    {% for input in inputs %}
    {% set pushed = full_relations.push('(select ' + image_columns(input) + ' from ' + ref(input) + ')') %}
    {% set pushed = new_relations.push('new_' + input) %}
    {% set pushed = old_relations.push('old_' + input) %}
    {% endfor %}
    {% if is_incremental() %}
    with
    rebuilt as (
        {% for input in inputs %}
        select customer_id from huitou_scratch.before_{{ input }}_customers
        where getvariable('huitou_delta_{{ name }}')
        {% if not loop.last %}union{% endif %}
        {% endfor %}
    ),
    {% for input in inputs %}
    new_{{ input }} as (
        select {{ image_columns(input) }} from {{ ref(input) }}
        where customer_id in (select customer_id from rebuilt)
    ),
    old_{{ input }} as (
        select * from huitou_scratch.before_{{ input }}
        where getvariable('huitou_delta_{{ name }}')
        union all
        select {{ image_columns(input) }} from {{ ref(input) }}
        where customer_id in (select customer_id from rebuilt)
            and customer_id not in (select customer_id from huitou_scratch.before_{{ input }}_customers)
    ),
    {% endfor %}
    moved as (
        select * from {{ name }}_previous
        union all by name
        select * from ({{ cells(new_relations) }})
        union all by name
        select
            {{ keys | join(', ') }},
            {% for measure in measures %}-{{ measure }} as {{ measure }}{% if not loop.last %}, {% endif %}{% endfor %}
        from ({{ cells(old_relations) }})
    ),
    summed as (
        select
            {{ keys | join(', ') }},
            {% for measure in measures %}sum({{ measure }}) as {{ measure }}{% if not loop.last %}, {% endif %}{% endfor %}
        from moved
        group by {{ keys | join(', ') }}
        having {% for measure in presence %}sum({{ measure }}) <> 0{% if not loop.last %} or {% endif %}{% endfor %}
    )
    select *, 'delta' as _built_by, ({{ current_states(inputs) }}) || '{{ settings }}' as _input_states
    from summed
    where getvariable('huitou_delta_{{ name }}')
    union all
    select *, 'full' as _built_by, ({{ current_states(inputs) }}) || '{{ settings }}' as _input_states
    from ({{ cells(full_relations) }})
    where not getvariable('huitou_delta_{{ name }}')
    {% else %}
    select *, 'full' as _built_by, ({{ current_states(inputs) }}) || '{{ settings }}' as _input_states
    from ({{ cells(full_relations) }})
    {% endif %}
{% endmacro %}
