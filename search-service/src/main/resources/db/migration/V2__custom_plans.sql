-- Plan every search with its actual parameters. With cached generic plans PostgreSQL estimates every
-- tenant at the same size and switches, after five runs of a prepared statement, to the tenant btree
-- plus an exact sort, casting the query vector from text once per row: measured at 636 ms instead of
-- under 5 ms for a 26k-chunk tenant (docs/benchmarks.md). Custom plans fold the cast to a constant and let
-- the planner pick HNSW for large tenants and the exact path for small ones.
do $$
begin
    execute format('alter database %I set plan_cache_mode = force_custom_plan', current_database());
end
$$;
