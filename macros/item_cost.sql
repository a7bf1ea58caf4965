{#
    item_cost(quantity, unit_price, unit_cost): the cost of an item line, as DECIMAL(18, 4) -
    quantity x unit_cost when the cost is known, else the estimate of metrics.md's gross
    margin, quantity x unit_price x (1 - default_margin_rate). One definition for the margin of
    a purchase (int_purchases) and of a product (int_purchase_items).

    Each branch is cast to DECIMAL(18, 4) before coalesce: coalescing DECIMAL(18, 2) with
    DECIMAL(18, 6) first widens both to a 128-bit decimal, which made this one expression cost
    more than a scan of the whole order table.
#}
{% macro item_cost(quantity, unit_price, unit_cost) %}
coalesce(
    cast({{ quantity }} * {{ unit_cost }} as decimal(18, 4)),
    cast(
        {{ quantity }} * {{ unit_price }}
            * (1 - cast({{ var('default_margin_rate') }} as decimal(9, 4)))
        as decimal(18, 4)
    )
)
{% endmacro %}
