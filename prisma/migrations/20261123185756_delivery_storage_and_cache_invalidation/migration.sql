-- Claims and outcomes use the partial due index, and this one only cost a write per insert and outcome.
DROP INDEX "deliveries_status_next_attempt_at_idx";

-- Room on each page so a claim's lease update (no indexed column changes) can stay on the page
-- as a HOT update instead of touching every index. Applies to pages written from now on.
ALTER TABLE "deliveries" SET (fillfactor = 70);
-- The hourly rollup counters are updated by every trigger and outcome of an endpoint.
ALTER TABLE "delivery_rollups_hourly" SET (fillfactor = 50);

-- Servers cache API keys, apps and event types (lib/cache): any change to those tables, by any
-- process (the CLI, another server, a psql session), tells every server to drop its copies.
CREATE FUNCTION "hookline_notify_cache_invalidation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hookline_cache_invalidation', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER "api_keys_cache_invalidation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "api_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION "hookline_notify_cache_invalidation"();
CREATE TRIGGER "apps_cache_invalidation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "apps"
  FOR EACH STATEMENT EXECUTE FUNCTION "hookline_notify_cache_invalidation"();
CREATE TRIGGER "event_types_cache_invalidation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "event_types"
  FOR EACH STATEMENT EXECUTE FUNCTION "hookline_notify_cache_invalidation"();
