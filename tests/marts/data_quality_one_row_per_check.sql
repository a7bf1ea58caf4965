-- data_quality has one row per (source, check) and a load row for every source.
select
    source,
    "check",
    count(*) as rows_of_pair,
from {{ ref('data_quality') }}
group by source, "check"
having count(*) > 1
union all
select
    source,
    'load' as "check",
    0 as rows_of_pair,
from {{ ref('data_quality') }}
group by source
having count(*) filter (where "check" = 'load') <> 1
