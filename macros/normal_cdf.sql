{#
    normal_cdf(x): the standard normal distribution function, as a SQL double expression.

    Hart's double-precision algorithm 5666 (J. F. Hart et al., Computer Approximations, 1968),
    in the form published by G. West, "Better approximations to cumulative normal functions"
    (Wilmott Magazine, 2005): a rational function times exp(-x^2/2) for |x| < 7.07, a
    continued fraction beyond, 0 past |x| = 37. Absolute error below 1e-14 everywhere and
    relative error in the tail below 1e-8 (checked against 30-digit values), so p-values are
    right far beyond the 1e-7 the marts need (Abramowitz-Stegun 7.1.26, the usual short
    formula, is only good to 1.5e-7 absolute).

    The tail is computed directly rather than as 1 - cdf(|x|), so small p-values keep their
    relative precision. `x` is repeated in the expression: pass a column or a simple term.
#}
{% macro normal_cdf(x) %}
(
    case
        when ({{ x }}) is null then null
        when abs(({{ x }})::double) > 37 then (case when ({{ x }}) > 0 then 1.0 else 0.0 end)
        else (
            case when ({{ x }}) > 0 then 1.0 else 0.0 end
            + (case when ({{ x }}) > 0 then -1.0 else 1.0 end)
            * {{ normal_tail(x) }}
        )
    end
)
{% endmacro %}

{#
    normal_tail(x): P(Z > |x|), the upper tail at |x|, for |x| <= 37 (the branch normal_cdf
    guards). Kept apart so a two-sided p-value, 2 x normal_tail(z), loses no precision.
#}
{% macro normal_tail(x) %}
(
    exp(-0.5 * (({{ x }})::double) * (({{ x }})::double))
    * case
        when abs(({{ x }})::double) < 7.07106781186547 then
            (((((( 3.52624965998911e-02 * abs(({{ x }})::double)
                + 0.700383064443688) * abs(({{ x }})::double)
                + 6.37396220353165) * abs(({{ x }})::double)
                + 33.912866078383) * abs(({{ x }})::double)
                + 112.079291497871) * abs(({{ x }})::double)
                + 221.213596169931) * abs(({{ x }})::double)
                + 220.206867912376)
            / ((((((( 8.83883476483184e-02 * abs(({{ x }})::double)
                + 1.75566716318264) * abs(({{ x }})::double)
                + 16.064177579207) * abs(({{ x }})::double)
                + 86.7807322029461) * abs(({{ x }})::double)
                + 296.564248779674) * abs(({{ x }})::double)
                + 637.333633378831) * abs(({{ x }})::double)
                + 793.826512519948) * abs(({{ x }})::double)
                + 440.413735824752)
        else
            1.0 / (
                abs(({{ x }})::double) + 1.0 / (
                    abs(({{ x }})::double) + 2.0 / (
                        abs(({{ x }})::double) + 3.0 / (
                            abs(({{ x }})::double) + 4.0 / (abs(({{ x }})::double) + 0.65)
                        )
                    )
                )
            ) / 2.506628274631
    end
)
{% endmacro %}
