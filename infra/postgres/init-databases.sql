-- Run once by the postgres:15 entrypoint, on an empty data volume only, as the superuser
-- POSTGRES_USER (bum). One database per service: each service owns its event store and
-- read models, and nothing joins across them. bum_keys is the key store of the citizens'
-- personal-data keys (crypto-shredding), apart from every event store.
-- CREATE DATABASE has no IF NOT EXISTS; \gexec keeps this script safe to run by hand again.
SELECT format('CREATE DATABASE %I OWNER %I', db, current_user)
FROM unnest(ARRAY['bum_visitation', 'bum_provider', 'bum_supervision', 'bum_keys']) AS db
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = db)
\gexec
