{#
    Newcombe's hybrid score interval for a difference of proportions p1 - p2 (method 10 of
    R. G. Newcombe, "Interval estimation for the difference between independent proportions:
    comparison of eleven methods", Statistics in Medicine 17, 1998), built from the Wilson
    intervals (l1, u1) and (l2, u2) of each proportion, without continuity correction:

        low  = (p1 - p2) - sqrt((p1 - l1)^2 + (u2 - p2)^2)
        high = (p1 - p2) + sqrt((u1 - p1)^2 + (p2 - l2)^2)

    Null when either group is empty. Arguments: successes and trials of group 1, then of
    group 2 (in campaign_uplift: treatment, then holdout).
#}
{% macro newcombe_low(successes_1, trials_1, successes_2, trials_2, z=1.959964) %}
(
    case when ({{ trials_1 }}) > 0 and ({{ trials_2 }}) > 0 then
        ({{ successes_1 }})::double / ({{ trials_1 }}) - ({{ successes_2 }})::double / ({{ trials_2 }})
        - sqrt(
            power(({{ successes_1 }})::double / ({{ trials_1 }}) - {{ wilson_low(successes_1, trials_1, z) }}, 2)
            + power({{ wilson_high(successes_2, trials_2, z) }} - ({{ successes_2 }})::double / ({{ trials_2 }}), 2)
        )
    end
)
{% endmacro %}

{% macro newcombe_high(successes_1, trials_1, successes_2, trials_2, z=1.959964) %}
(
    case when ({{ trials_1 }}) > 0 and ({{ trials_2 }}) > 0 then
        ({{ successes_1 }})::double / ({{ trials_1 }}) - ({{ successes_2 }})::double / ({{ trials_2 }})
        + sqrt(
            power({{ wilson_high(successes_1, trials_1, z) }} - ({{ successes_1 }})::double / ({{ trials_1 }}), 2)
            + power(({{ successes_2 }})::double / ({{ trials_2 }}) - {{ wilson_low(successes_2, trials_2, z) }}, 2)
        )
    end
)
{% endmacro %}
