-- repurchase_monthly_by_dimension has one row per (dimension, value, month), a null value
-- being its own group.
select
    dimension,
    value,
    month,
    count(*) as rows_of_group,
from {{ ref('repurchase_monthly_by_dimension') }}
group by dimension, value, month
having count(*) > 1
