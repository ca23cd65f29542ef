-- The release history: one row per verification, one per rollback rehearsal.
-- Written for both H2 (the embedded default) and PostgreSQL: plain SQL types only.
-- Lists and maps (fixes, labels, probe counts, confirmations) are JSON text.

CREATE TABLE vigil_release (
    id                  VARCHAR(100) NOT NULL PRIMARY KEY,
    service             VARCHAR(300) NOT NULL,
    version             VARCHAR(300) NOT NULL,
    previous_version    VARCHAR(300),
    environment         VARCHAR(300),
    kind                VARCHAR(20)  NOT NULL,
    fixes               VARCHAR      NOT NULL,
    labels              VARCHAR      NOT NULL,
    verdict             VARCHAR(20)  NOT NULL,
    reason              VARCHAR      NOT NULL,
    rollback_outcome    VARCHAR(20)  NOT NULL,
    rollback_started_at TIMESTAMP WITH TIME ZONE,
    rollback_finished_at TIMESTAMP WITH TIME ZONE,
    recheck_status      VARCHAR(20)  NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    detected_at         TIMESTAMP WITH TIME ZONE,
    finished_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    probes              VARCHAR      NOT NULL,
    confirmations       VARCHAR      NOT NULL,
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX vigil_release_service_finished ON vigil_release (service, finished_at);
CREATE INDEX vigil_release_finished ON vigil_release (finished_at);

CREATE TABLE vigil_rehearsal (
    id                  VARCHAR(100) NOT NULL PRIMARY KEY,
    service             VARCHAR(300) NOT NULL,
    version             VARCHAR(300) NOT NULL,
    previous_version    VARCHAR(300),
    environment         VARCHAR(300),
    outcome             VARCHAR(20)  NOT NULL,
    reason              VARCHAR      NOT NULL,
    rollback_outcome    VARCHAR(20)  NOT NULL,
    recheck_status      VARCHAR(20)  NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX vigil_rehearsal_service_finished ON vigil_rehearsal (service, finished_at);
