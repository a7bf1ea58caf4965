-- One row per (campaign_id, group, category) over the complete rows of each campaign's own
-- window: the contacts who bought the category inside their window, and that item revenue
-- (quantity x unit_price, before order-level refunds). What responders bought.

with

campaign_windows as (

    select * from {{ ref('int_campaign_windows') }}
    where is_own_window and is_complete

),

-- one row per (campaign, group, contact, category bought in the own window): the
-- per-customer stage, rebuilt per changed customer
contact_categories as (

    select * from {{ ref('int_campaign_contact_categories') }}

),

final as (

    select
        contact_categories.campaign_id,
        contact_categories.contact_group as "group",
        contact_categories.category,
        count(*) as buyers,
        sum(contact_categories.item_revenue) as revenue,
    from contact_categories
    inner join campaign_windows
        on campaign_windows.campaign_id = contact_categories.campaign_id
    group by contact_categories.campaign_id, contact_categories.contact_group, contact_categories.category

)

select * from final
