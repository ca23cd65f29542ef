-- Whether a rehearsal's rollback trigger started, as vigil_release.rollback_ran (V5) says it of a
-- release: a rehearsal stopped before its rollback started changed nothing, one whose rollback failed
-- after it started may have left either version running. NULL in the rows written before (not
-- known), TRUE or FALSE in every one since. Plain SQL types, for H2 and PostgreSQL alike.

ALTER TABLE vigil_rehearsal ADD COLUMN rollback_ran BOOLEAN;
