{#
    Two-sided p-value of the pooled two-proportion z-test of H0: p1 = p2:

        p  = (x1 + x2) / (n1 + n2)
        z  = (x1/n1 - x2/n2) / sqrt(p (1 - p) (1/n1 + 1/n2))
        pv = 2 P(Z > |z|)

    Null when a group is empty or the pooled rate is 0 or 1 (no variance: the test is
    undefined). Uses normal_tail, so small p-values keep their precision.
#}
{% macro two_proportion_p_value(successes_1, trials_1, successes_2, trials_2) %}
(
    case
        when ({{ trials_1 }}) > 0 and ({{ trials_2 }}) > 0
            and ({{ successes_1 }}) + ({{ successes_2 }}) > 0
            and ({{ successes_1 }}) + ({{ successes_2 }}) < ({{ trials_1 }}) + ({{ trials_2 }})
        then least(1.0, 2.0 * {{ normal_tail(two_proportion_z(successes_1, trials_1, successes_2, trials_2)) }})
    end
)
{% endmacro %}

{# The pooled z statistic itself (signed: positive when group 1's rate is higher). #}
{% macro two_proportion_z(successes_1, trials_1, successes_2, trials_2) %}
(
    (({{ successes_1 }})::double / ({{ trials_1 }}) - ({{ successes_2 }})::double / ({{ trials_2 }}))
    / sqrt(
        (({{ successes_1 }}) + ({{ successes_2 }}))::double / (({{ trials_1 }}) + ({{ trials_2 }}))
        * (1.0 - (({{ successes_1 }}) + ({{ successes_2 }}))::double / (({{ trials_1 }}) + ({{ trials_2 }})))
        * (1.0 / ({{ trials_1 }}) + 1.0 / ({{ trials_2 }}))
    )
)
{% endmacro %}
