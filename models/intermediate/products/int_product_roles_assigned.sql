-- One row per (level, subject) of int_product_role_metrics with its role: the first rule of
-- the product_role_rules seed (lowest priority) whose conditions all hold. A condition
-- compares one metric with a fixed value or with a percentile of that metric (linear
-- interpolation) over the subjects of the same level with item revenue > 0.

with

metrics as (

    select * from {{ ref('int_product_role_metrics') }}

),

-- typed here too, so an edited seed whose types DuckDB guesses differently still works
rules as (

    select
        cast(priority as integer) as priority,
        cast(role as varchar) as role,
        nullif(trim(cast(metric as varchar)), '') as metric,
        cast(operator as varchar) as operator,
        cast(threshold_type as varchar) as threshold_type,
        cast(threshold as double) as threshold,
    from {{ ref('product_role_rules') }}

),

metric_values as (

    unpivot (
        select
            level,
            subject,
            revenue::double as revenue,
            revenue_share,
            margin_rate,
            first_purchase_share,
            repeat_after_first_rate,
            returning_revenue_share,
            revenue_growth_90d,
            days_since_launch::double as days_since_launch,
            revenue > 0 as has_revenue,
        from metrics
    )
    on revenue, revenue_share, margin_rate, first_purchase_share, repeat_after_first_rate,
        returning_revenue_share, revenue_growth_90d, days_since_launch
    into name metric value metric_value

),

levels as (

    select distinct level from metrics

),

percentile_conditions as (

    select distinct metric, threshold from rules where threshold_type = 'percentile'

),

-- the values a percentile is taken over: subjects with item revenue > 0 where the metric is
-- known, ranked from 0 within (level, metric)
ranked_values as (

    select
        level,
        metric,
        metric_value,
        row_number() over (partition by level, metric order by metric_value) - 1 as position,
        count(*) over (partition by level, metric) as value_count,
    from metric_values
    where has_revenue

),

-- linear interpolation between the values at positions floor(h) and ceil(h), h = (n - 1) p
-- (quantile_cont's definition; written out because its fraction must be a constant)
percentiles as (

    select
        levels.level,
        percentile_conditions.metric,
        percentile_conditions.threshold,
        any_value(ranked_values.metric_value) filter (
            where ranked_values.position = floor((ranked_values.value_count - 1) * percentile_conditions.threshold)
        ) as lower_value,
        any_value(ranked_values.metric_value) filter (
            where ranked_values.position = ceil((ranked_values.value_count - 1) * percentile_conditions.threshold)
        ) as upper_value,
        any_value(
            (ranked_values.value_count - 1) * percentile_conditions.threshold
            - floor((ranked_values.value_count - 1) * percentile_conditions.threshold)
        ) as fraction,
        lower_value + fraction * (upper_value - lower_value) as percentile_value,
    from levels
    cross join percentile_conditions
    left join ranked_values
        on ranked_values.level = levels.level
        and ranked_values.metric = percentile_conditions.metric
    group by levels.level, percentile_conditions.metric, percentile_conditions.threshold

),

-- each rule row with its threshold resolved for the level
rule_thresholds as (

    select
        levels.level,
        rules.priority,
        rules.role,
        rules.metric,
        rules.operator,
        case
            when rules.threshold_type = 'percentile' then percentiles.percentile_value
            else rules.threshold
        end as threshold_value,
    from levels
    cross join rules
    left join percentiles
        on percentiles.level = levels.level
        and percentiles.metric = rules.metric
        and percentiles.threshold = rules.threshold
        and rules.threshold_type = 'percentile'

),

-- a rule row without a metric always holds; a comparison with a null never does
conditions as (

    select
        metrics.level,
        metrics.subject,
        rule_thresholds.priority,
        rule_thresholds.role,
        rule_thresholds.metric is null or coalesce(
            case rule_thresholds.operator
                when '<' then metric_values.metric_value < rule_thresholds.threshold_value
                when '<=' then metric_values.metric_value <= rule_thresholds.threshold_value
                when '>' then metric_values.metric_value > rule_thresholds.threshold_value
                when '>=' then metric_values.metric_value >= rule_thresholds.threshold_value
                when '=' then metric_values.metric_value = rule_thresholds.threshold_value
            end,
            false
        ) as holds,
    from metrics
    inner join rule_thresholds
        on rule_thresholds.level = metrics.level
    left join metric_values
        on metric_values.level = metrics.level
        and metric_values.subject = metrics.subject
        and metric_values.metric = rule_thresholds.metric

),

matched_rules as (

    select
        level,
        subject,
        priority,
        any_value(role) as role,
    from conditions
    group by level, subject, priority
    having bool_and(holds)

),

first_matches as (

    select
        level,
        subject,
        arg_min(role, priority) as role,
    from matched_rules
    group by level, subject

),

final as (

    select
        metrics.*,
        first_matches.role,
    from metrics
    left join first_matches
        on first_matches.level = metrics.level
        and first_matches.subject = metrics.subject

)

select * from final
