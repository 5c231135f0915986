-- One sync per store across instances (CatalogSync): a sync claims its store with a 'running' row whose lease
-- the running instance renews; a row whose lease ran out (its instance died) is failed by the next claim.
alter table sync_runs add column lease_until timestamptz;

-- Running rows of the per-instance guard: keep the newest per store (leased for a while), fail the others.
update sync_runs set status = 'failed', finished_at = now(), error = 'abandoned: another sync of this store was started'
where status = 'running'
  and id not in (select distinct on (tenant_id) id from sync_runs where status = 'running'
                 order by tenant_id, started_at desc);
update sync_runs set lease_until = now() + interval '5 minutes' where status = 'running';

create unique index sync_runs_one_running on sync_runs (tenant_id) where status = 'running';
