-- One row per (campaign_id, group, category) over the complete rows of each campaign's own
-- window: the contacts who bought the category inside their window, and that item revenue
-- (quantity x unit_price, before order-level refunds). What responders bought.

with

campaign_windows as (

    select * from {{ ref('int_campaign_windows') }}
    where is_own_window and is_complete

),

contacts as (

    select * from {{ ref('int_campaign_contacts_deduplicated') }}
    where not is_in_both_groups

),

purchase_items as (

    select * from {{ ref('int_purchase_items') }}

),

items_in_window as (

    select
        contacts.campaign_id,
        contacts.contact_group,
        contacts.customer_id,
        purchase_items.category,
        purchase_items.item_revenue,
    from contacts
    inner join campaign_windows
        on campaign_windows.campaign_id = contacts.campaign_id
    inner join purchase_items
        on purchase_items.customer_id = contacts.customer_id
        and purchase_items.ordered_at >= contacts.contacted_at
        and purchase_items.ordered_at < contacts.contacted_at + to_days(campaign_windows.window_days)

),

final as (

    select
        campaign_id,
        contact_group as "group",
        category,
        count(distinct customer_id) as buyers,
        sum(item_revenue) as revenue,
    from items_in_window
    group by campaign_id, contact_group, category

)

select * from final
