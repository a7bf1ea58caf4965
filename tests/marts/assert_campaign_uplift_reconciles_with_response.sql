-- campaign_uplift and campaign_response count the same contacts: for every campaign and
-- window, the treatment and holdout contacts of the one are the group rows of the other.
with

uplift as (

    select * from {{ ref('campaign_uplift') }}

),

response as (

    select
        campaign_id,
        window_days,
        coalesce(sum(contacts) filter (where "group" = 'treatment'), 0) as treatment_contacts,
        coalesce(sum(contacts) filter (where "group" = 'holdout'), 0) as holdout_contacts,
    from {{ ref('campaign_response') }}
    group by campaign_id, window_days

),

final as (

    select uplift.campaign_id, uplift.window_days
    from uplift
    full outer join response
        on response.campaign_id = uplift.campaign_id
        and response.window_days = uplift.window_days
    where uplift.treatment_contacts is distinct from response.treatment_contacts
        or uplift.holdout_contacts is distinct from response.holdout_contacts

)

select * from final
