-- Versions, previous versions and environments of any length, ids and services of up to 500
-- characters: the first schema kept 300 (ids 100), and a longer value (an image reference per
-- container as the version) failed the insert and lost the record.
-- The id and the service key indexes, whose entries PostgreSQL keeps under 2704 bytes: 500
-- characters are at most 1500 bytes of UTF-8. The store refuses a longer one in words.
-- SET DATA TYPE: the form both H2 and PostgreSQL take. Widening a VARCHAR rewrites no row in
-- PostgreSQL.

ALTER TABLE vigil_release ALTER COLUMN id SET DATA TYPE VARCHAR(500);
ALTER TABLE vigil_release ALTER COLUMN service SET DATA TYPE VARCHAR(500);
ALTER TABLE vigil_release ALTER COLUMN version SET DATA TYPE VARCHAR;
ALTER TABLE vigil_release ALTER COLUMN previous_version SET DATA TYPE VARCHAR;
ALTER TABLE vigil_release ALTER COLUMN environment SET DATA TYPE VARCHAR;

ALTER TABLE vigil_rehearsal ALTER COLUMN id SET DATA TYPE VARCHAR(500);
ALTER TABLE vigil_rehearsal ALTER COLUMN service SET DATA TYPE VARCHAR(500);
ALTER TABLE vigil_rehearsal ALTER COLUMN version SET DATA TYPE VARCHAR;
ALTER TABLE vigil_rehearsal ALTER COLUMN previous_version SET DATA TYPE VARCHAR;
ALTER TABLE vigil_rehearsal ALTER COLUMN environment SET DATA TYPE VARCHAR;
