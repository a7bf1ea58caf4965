-- One row per (campaign, group, contacted customer, window of int_campaign_windows): what the
-- customer bought in [contacted_at, contacted_at + window_days). Customers in both groups of
-- a campaign are left out here, so every mart counts alike.

with

contacts as (

    select * from {{ ref('int_campaign_contacts_deduplicated') }}
    where not is_in_both_groups

),

purchases as (

    select * from {{ ref('int_purchases') }}

),

campaign_windows as (

    select * from {{ ref('int_campaign_windows') }}

),

contact_windows as (

    select
        contacts.campaign_id,
        contacts.contact_group,
        contacts.customer_id,
        contacts.contacted_at,
        campaign_windows.window_days,
        campaign_windows.is_complete,
        contacts.contacted_at + to_days(campaign_windows.window_days) as window_ends_at,
    from contacts
    inner join campaign_windows
        on campaign_windows.campaign_id = contacts.campaign_id

),

-- a redemption: a treatment contact's purchase in the window with a coupon and this campaign
purchases_in_window as (

    select
        contact_windows.campaign_id,
        contact_windows.contact_group,
        contact_windows.customer_id,
        contact_windows.window_days,
        count(*) as purchases,
        sum(purchases.net_revenue) as revenue,
        sum(purchases.gross_margin) as gross_margin,
        count(*) filter (
            where contact_windows.contact_group = 'treatment'
                and purchases.coupon_code is not null
                and purchases.campaign_id = contact_windows.campaign_id
        ) as redemptions,
        coalesce(sum(purchases.discount_amount) filter (
            where contact_windows.contact_group = 'treatment'
                and purchases.coupon_code is not null
                and purchases.campaign_id = contact_windows.campaign_id
        ), 0) as discount_given,
    from contact_windows
    inner join purchases
        on purchases.customer_id = contact_windows.customer_id
        and purchases.ordered_at >= contact_windows.contacted_at
        and purchases.ordered_at < contact_windows.window_ends_at
    group by
        contact_windows.campaign_id,
        contact_windows.contact_group,
        contact_windows.customer_id,
        contact_windows.window_days

),

final as (

    select
        contact_windows.campaign_id,
        contact_windows.contact_group,
        contact_windows.customer_id,
        contact_windows.window_days,
        contact_windows.contacted_at,
        contact_windows.is_complete,
        coalesce(purchases_in_window.purchases, 0) > 0 as is_responder,
        coalesce(purchases_in_window.purchases, 0) as purchases,
        coalesce(purchases_in_window.revenue, 0) as revenue,
        coalesce(purchases_in_window.gross_margin, 0) as gross_margin,
        coalesce(purchases_in_window.redemptions, 0) as redemptions,
        coalesce(purchases_in_window.discount_given, 0) as discount_given,
    from contact_windows
    left join purchases_in_window
        on purchases_in_window.campaign_id = contact_windows.campaign_id
        and purchases_in_window.contact_group = contact_windows.contact_group
        and purchases_in_window.customer_id = contact_windows.customer_id
        and purchases_in_window.window_days = contact_windows.window_days

)

select * from final
