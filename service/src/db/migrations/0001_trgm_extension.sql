-- Trigram indexes let a text search (ILIKE %word%) find rare words without reading every row.
-- pg_trgm is a trusted extension: the database owner may create it (on RDS too).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
