-- Whether a rollback's trigger started: a rollback that ended FAILED before any trigger ran (the
-- verification interrupted between its verdict and the rollback's start, no trigger configured)
-- left the deployed version in place, one that failed after it started may have left anything.
-- NULL in the rows written before (not known), TRUE or FALSE in every finished one since. Plain
-- SQL types, for H2 and PostgreSQL alike.

ALTER TABLE vigil_release ADD COLUMN rollback_ran BOOLEAN;
ALTER TABLE vigil_rollback ADD COLUMN ran BOOLEAN;
