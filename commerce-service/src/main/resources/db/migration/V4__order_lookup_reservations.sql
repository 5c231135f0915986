-- Failed order lookups are counted atomically across instances (OrderLookup): an attempt is reserved as a row
-- here before the store is asked, under a per-tenant advisory lock, and deleted again when the lookup succeeds
-- or the store could not answer. A row left is a failed lookup (or one still being asked).
alter table order_lookup_failures add column id bigint generated always as identity primary key;
create index order_lookup_failures_session on order_lookup_failures (tenant_id, session_id, failed_at);
