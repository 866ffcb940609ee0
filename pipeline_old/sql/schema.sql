-- claimdiff's DuckDB contract. Analysts write SQL against these names: keep them stable.
-- Every table is created IF NOT EXISTS so that opening an existing database is harmless.

CREATE TABLE IF NOT EXISTS runs (
    run_id            VARCHAR PRIMARY KEY,   -- sortable: UTC start time + random suffix
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP,
    model             VARCHAR,               -- the model name sent in requests
    endpoint          VARCHAR,               -- 'embedded' or the base URL (never a key)
    cassette_mode     VARCHAR,               -- live | record | replay
    prompt_version    VARCHAR,
    schema_version    VARCHAR,
    documents_seen    INTEGER,               -- documents found in the input (refused files included)
    documents         INTEGER,               -- documents extracted in this run
    unchanged         INTEGER,               -- already extracted with this text, model and prompts
    off_topic         INTEGER,               -- stored, not sent to the model (relevant = false)
    failed_documents  INTEGER,
    records           INTEGER,
    facts             INTEGER,
    requests          INTEGER,               -- model answers asked for, re-asks included
    rejected          INTEGER,               -- answers the grounding/validation check sent back
    http_retries      INTEGER,
    prompt_tokens     BIGINT,
    completion_tokens BIGINT,
    wall_seconds      DOUBLE
);

CREATE TABLE IF NOT EXISTS documents (
    document_id     VARCHAR PRIMARY KEY,     -- file stem, plus .N for the Nth article of a page
    source_path     VARCHAR NOT NULL,
    part            INTEGER NOT NULL,
    outlet          VARCHAR,                 -- as the page names it; NULL when it names none
    title           VARCHAR,
    published       DATE,
    dateline        VARCHAR,
    text_sha256     VARCHAR NOT NULL,
    chars           INTEGER NOT NULL,
    relevant        BOOLEAN NOT NULL,        -- false: off-topic, not sent to the model
    relevance_score DOUBLE,
    status          VARCHAR NOT NULL,        -- ok | partial (some paragraphs rejected) | skipped
    model           VARCHAR,
    prompt_version  VARCHAR,
    schema_version  VARCHAR,
    run_id          VARCHAR,
    text            VARCHAR NOT NULL         -- char_start/char_end index into this exact text
);

CREATE TABLE IF NOT EXISTS casualties (
    record_id         VARCHAR PRIMARY KEY,   -- document_id:n
    document_id       VARCHAR NOT NULL,
    victims           VARCHAR,
    location          VARCHAR,
    killed_min        DOUBLE,
    killed_max        DOUBLE,
    killed_qualifier  VARCHAR,
    killed_phrase     VARCHAR,
    injured_min       DOUBLE,
    injured_max       DOUBLE,
    injured_qualifier VARCHAR,
    injured_phrase    VARCHAR,
    quote             VARCHAR NOT NULL,
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL,
    attributed_to     VARCHAR,
    match             VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS attacks (
    record_id          VARCHAR PRIMARY KEY,
    document_id        VARCHAR NOT NULL,
    actor              VARCHAR,
    weapon             VARCHAR,
    target             VARCHAR,
    location           VARCHAR,
    launched_min       DOUBLE,
    launched_max       DOUBLE,
    launched_qualifier VARCHAR,
    launched_phrase    VARCHAR,
    hit_min            DOUBLE,
    hit_max            DOUBLE,
    hit_qualifier      VARCHAR,
    hit_phrase         VARCHAR,
    downed_min         DOUBLE,
    downed_max         DOUBLE,
    downed_qualifier   VARCHAR,
    downed_phrase      VARCHAR,
    distance_km_min    DOUBLE,
    distance_km_max    DOUBLE,
    distance_qualifier VARCHAR,
    distance_phrase    VARCHAR,
    quote              VARCHAR NOT NULL,
    char_start         INTEGER NOT NULL,
    char_end           INTEGER NOT NULL,
    attributed_to      VARCHAR,
    match              VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS talks (
    record_id     VARCHAR PRIMARY KEY,
    document_id   VARCHAR NOT NULL,
    venue         VARCHAR,
    date          VARCHAR,                   -- as the article words it
    ukraine_head  VARCHAR,
    russia_head   VARCHAR,
    mediator      VARCHAR,
    quote         VARCHAR NOT NULL,
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL,
    attributed_to VARCHAR,
    match         VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS territorial_claims (
    record_id      VARCHAR PRIMARY KEY,
    document_id    VARCHAR NOT NULL,
    claimant       VARCHAR,
    place          VARCHAR,
    area_km2_min   DOUBLE,
    area_km2_max   DOUBLE,
    area_qualifier VARCHAR,
    area_phrase    VARCHAR,
    period         VARCHAR,
    quote          VARCHAR NOT NULL,
    char_start     INTEGER NOT NULL,
    char_end       INTEGER NOT NULL,
    attributed_to  VARCHAR,
    match          VARCHAR NOT NULL
);

-- Every numeric claim in long form: one row per (record, measure).
CREATE TABLE IF NOT EXISTS facts (
    fact_id       VARCHAR PRIMARY KEY,       -- record_id:measure (:2, :3 for more in one quote)
    document_id   VARCHAR NOT NULL,
    record_id     VARCHAR NOT NULL,
    record_type   VARCHAR NOT NULL,          -- attack | casualty | territorial_claim
    incident      VARCHAR,                   -- what happened where, in the article's words
    incident_id   VARCHAR,                   -- set by incident resolution across documents
    location      VARCHAR,
    actor         VARCHAR,
    measure       VARCHAR NOT NULL,          -- controlled vocabulary, see schemas.Measure
    value_min     DOUBLE NOT NULL,           -- inclusive
    value_max     DOUBLE,                    -- inclusive; NULL = open-ended
    qualifier     VARCHAR NOT NULL,          -- exact | at_least | more_than | about | ...
    unit          VARCHAR NOT NULL,          -- count | km | km2
    phrase        VARCHAR NOT NULL,          -- the number as the article writes it
    quote         VARCHAR NOT NULL,
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL,
    attributed_to VARCHAR
);

-- What failed, and why. Rows for a document are replaced when it is processed again.
CREATE TABLE IF NOT EXISTS failures (
    run_id      VARCHAR NOT NULL,
    document_id VARCHAR NOT NULL,
    source_path VARCHAR,
    stage       VARCHAR NOT NULL,            -- read | validation | transport | replay
    chunk_index INTEGER,                     -- validation failures: which paragraph
    record_type VARCHAR,
    reason      VARCHAR NOT NULL,
    failed_at   TIMESTAMP NOT NULL
);

-- Cross-source comparison, rebuilt from the tables above after every run.
CREATE TABLE IF NOT EXISTS incidents (
    incident_id VARCHAR PRIMARY KEY,         -- kind, plus @place where the place tells apart
    label       VARCHAR NOT NULL,            -- "Bridge collapse onto a train — Bryansk"
    kind        VARCHAR NOT NULL,
    place       VARCHAR,
    n_documents INTEGER NOT NULL,
    n_records   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS record_incidents (
    record_id   VARCHAR PRIMARY KEY,
    document_id VARCHAR NOT NULL,
    incident_id VARCHAR NOT NULL
);

-- Why two records from different documents were joined into one incident.
CREATE TABLE IF NOT EXISTS incident_links (
    incident_id VARCHAR NOT NULL,
    record_a    VARCHAR NOT NULL,
    record_b    VARCHAR NOT NULL,
    document_a  VARCHAR NOT NULL,
    document_b  VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,             -- 0.8 for kind (+ place) agreement, + up to 0.2 for shared words
    reason      VARCHAR NOT NULL
);

-- One row per incident and measure reported by two or more documents (kind 'number'), and per
-- name spelled differently across documents (kind 'name').
CREATE TABLE IF NOT EXISTS divergences (
    kind        VARCHAR NOT NULL,            -- number | name
    incident_id VARCHAR,
    incident    VARCHAR NOT NULL,            -- incident label, or the canonical name
    measure     VARCHAR NOT NULL,            -- facts.measure, or 'spelling'
    n_documents INTEGER NOT NULL,
    n_outlets   INTEGER NOT NULL,            -- a document with no known outlet counts alone
    reports     STRUCT(document_id VARCHAR, outlet VARCHAR, value_min DOUBLE, value_max DOUBLE,
                       phrase VARCHAR, quote VARCHAR, statements INTEGER)[] NOT NULL,
    verdict     VARCHAR NOT NULL             -- agree | compatible | conflict
);

-- Spellings of one name across documents, under the canonical (most used) spelling.
CREATE TABLE IF NOT EXISTS names (
    canonical   VARCHAR NOT NULL,
    spelling    VARCHAR NOT NULL,
    document_id VARCHAR NOT NULL,
    occurrences INTEGER NOT NULL
);
