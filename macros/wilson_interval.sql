{#
    Wilson score interval for a proportion, without continuity correction (E. B. Wilson 1927;
    method 3 of R. G. Newcombe, "Two-sided confidence intervals for the single proportion",
    Statistics in Medicine 17, 1998):

        centre = (x + z^2/2) / (n + z^2)
        half   = z / (n + z^2) * sqrt(x (n - x) / n + z^2 / 4)

    Null when n is 0 or null. z = 1.959964 gives the 95% interval. Bounds are clamped to
    [0, 1] only to absorb rounding at x = 0 and x = n, where they are exactly 0 and 1.
#}
{% macro wilson_low(successes, trials, z=1.959964) %}
(
    case when ({{ trials }}) > 0 then greatest(0.0,
        ((({{ successes }})::double + {{ z }} * {{ z }} / 2.0)
            - {{ z }} * sqrt(
                ({{ successes }})::double * (({{ trials }}) - ({{ successes }}))::double / ({{ trials }})::double
                + {{ z }} * {{ z }} / 4.0
            ))
        / (({{ trials }})::double + {{ z }} * {{ z }})
    ) end
)
{% endmacro %}

{% macro wilson_high(successes, trials, z=1.959964) %}
(
    case when ({{ trials }}) > 0 then least(1.0,
        ((({{ successes }})::double + {{ z }} * {{ z }} / 2.0)
            + {{ z }} * sqrt(
                ({{ successes }})::double * (({{ trials }}) - ({{ successes }}))::double / ({{ trials }})::double
                + {{ z }} * {{ z }} / 4.0
            ))
        / (({{ trials }})::double + {{ z }} * {{ z }})
    ) end
)
{% endmacro %}
