-- One row per rollback of a verification or a watch, written as the rollback starts and completed
-- (finished_at, outcome) when it ends. A row that never got its end is a rollback during which
-- Vigil stopped (killed, the machine lost): the next verification of the service warns that which
-- version runs is unknown. Plain SQL types, for H2 and PostgreSQL alike; keys as V2 left them.

CREATE TABLE vigil_rollback (
    id                  VARCHAR(500) NOT NULL PRIMARY KEY,
    service             VARCHAR(500) NOT NULL,
    version             VARCHAR      NOT NULL,
    previous_version    VARCHAR,
    environment         VARCHAR,
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at         TIMESTAMP WITH TIME ZONE,
    outcome             VARCHAR(20),
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX vigil_rollback_service_started ON vigil_rollback (service, started_at);
CREATE INDEX vigil_rollback_started ON vigil_rollback (started_at);
