-- clv_by_channel has one row per acquisition channel (null being one group) plus one `all`
-- row, and every buyer is counted once among the channel rows.
select
    acquisition_channel,
    is_all,
    count(*) as rows_of_group,
from {{ ref('clv_by_channel') }}
group by acquisition_channel, is_all
having count(*) > 1
union all
select
    'buyers of the channel rows' as acquisition_channel,
    false as is_all,
    sum(buyers) filter (where not is_all) - sum(buyers) filter (where is_all) as rows_of_group,
from {{ ref('clv_by_channel') }}
having sum(buyers) filter (where not is_all) <> sum(buyers) filter (where is_all)
    or count(*) filter (where is_all) <> 1
