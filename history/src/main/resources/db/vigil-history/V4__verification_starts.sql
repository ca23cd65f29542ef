-- One row per verification (bake) or rollback rehearsal, written as it starts: a watch or a bake in
-- another process reads them before it rolls back, and does not undo a newer version that another
-- pipeline deployed and now verifies. Plain SQL types, for H2 and PostgreSQL alike; keys as V2 left them.

CREATE TABLE vigil_start (
    id                  VARCHAR(500) NOT NULL PRIMARY KEY,
    service             VARCHAR(500) NOT NULL,
    version             VARCHAR      NOT NULL,
    previous_version    VARCHAR,
    environment         VARCHAR,
    kind                VARCHAR(20)  NOT NULL,
    started_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX vigil_start_service_started ON vigil_start (service, started_at);
CREATE INDEX vigil_start_started ON vigil_start (started_at);
