-- claimdiff's DuckDB contract: the tables every database has. Record tables (casualties,
-- attacks, talks, territorial_claims, and any record type declared later) are derived from
-- the declarations in schemas/records/ by store/ddl.py. Analysts write SQL against these names:
-- keep them stable, and bump schemas.SCHEMA_VERSION when they change.

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    run_id            VARCHAR PRIMARY KEY,   -- sortable: UTC start time + random suffix
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP,
    model             VARCHAR,               -- the model name sent in requests
    endpoint          VARCHAR,               -- 'embedded' or the base URL (never a key)
    cassette_mode     VARCHAR,               -- live | record | replay
    prompt_version    VARCHAR,
    schema_version    VARCHAR,
    layout            VARCHAR,               -- per_type | per_chunk: requests per chunk
    engine            VARCHAR,               -- local | ray
    documents_seen    INTEGER,               -- inputs found (refused files and rows included)
    documents         INTEGER,               -- documents extracted in this run
    unchanged         INTEGER,               -- already extracted with this text, model and prompts
    off_topic         INTEGER,               -- stored, not sent to the model (relevant = false)
    failed_documents  INTEGER,
    records           INTEGER,
    facts             INTEGER,
    requests          INTEGER,               -- model answers asked for, re-asks included
    rejected          INTEGER,               -- answers the validation sent back
    http_retries      INTEGER,
    prompt_tokens     BIGINT,
    completion_tokens BIGINT,
    wall_seconds      DOUBLE
);

CREATE TABLE IF NOT EXISTS documents (
    document_id     VARCHAR PRIMARY KEY,     -- file stem (.N: Nth article of a page; table rows: id)
    source_path     VARCHAR NOT NULL,
    part            INTEGER NOT NULL,
    source_format   VARCHAR NOT NULL,        -- text | html | jsonl | csv | parquet | stdin
    outlet          VARCHAR,
    title           VARCHAR,
    url             VARCHAR,
    published       DATE,                    -- what event dates are resolved against
    dateline        VARCHAR,
    language        VARCHAR NOT NULL,        -- ISO 639-1
    language_source VARCHAR NOT NULL,        -- metadata | detected | default
    text_sha256     VARCHAR NOT NULL,
    chars           INTEGER NOT NULL,
    relevant        BOOLEAN,                 -- false: off-topic, not sent to the model
    relevance_score DOUBLE,
    status          VARCHAR NOT NULL,        -- ok | partial | skipped (off-topic) | failed
    model           VARCHAR,
    prompt_version  VARCHAR,
    schema_version  VARCHAR,
    run_id          VARCHAR,
    text            VARCHAR NOT NULL         -- char_start/char_end index into this exact text
);

-- Every numeric claim in long form: one row per number of a record.
-- fact_id and record_id are unique, kept so by the store (a document's rows are replaced as a
-- whole, in one transaction), not by an index: a PRIMARY KEY index on these tables tripled the
-- file (332 MB vs 100 MB at 100,000 documents) and every commit paid for it.
CREATE TABLE IF NOT EXISTS facts (
    fact_id       VARCHAR NOT NULL,          -- record_id:field, unique
    document_id   VARCHAR NOT NULL,
    record_id     VARCHAR NOT NULL,
    record_type   VARCHAR NOT NULL,
    field         VARCHAR NOT NULL,          -- the record's field (killed, launched, area …)
    measure       VARCHAR NOT NULL,          -- controlled vocabulary: schemas/measures.yaml
    value_min     DOUBLE NOT NULL,           -- inclusive
    value_max     DOUBLE,                    -- inclusive; NULL = open-ended
    qualifier     VARCHAR NOT NULL,          -- exact | at_least | more_than | about | nearly | up_to | less_than | range | vague
    unit          VARCHAR NOT NULL,          -- count | km | km2 | kg
    phrase        VARCHAR NOT NULL,          -- the number as the article writes it
    scope         VARCHAR NOT NULL,          -- incident | subgroup | superseded | wider
    reason        VARCHAR NOT NULL,          -- how measure and scope were read from the words
    incident_id   VARCHAR,                   -- set by the comparison (NULL for scope wider)
    location      VARCHAR,                   -- where, as written
    place_id      VARCHAR,
    place_name    VARCHAR,
    country       VARCHAR,
    event_type    VARCHAR,
    event_date    DATE,
    language      VARCHAR,
    quote         VARCHAR NOT NULL,          -- the sentence, = substr(text, char_start + 1, …)
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL,
    phrase_start  INTEGER NOT NULL,          -- the phrase's own span in documents.text
    phrase_end    INTEGER NOT NULL,
    attributed_to VARCHAR,
    gloss         VARCHAR                    -- English machine translation of the quote (run --gloss); never compared
);

-- What failed, and why. Rows for a document are replaced when it is processed again.
CREATE TABLE IF NOT EXISTS failures (
    run_id      VARCHAR NOT NULL,
    document_id VARCHAR NOT NULL,
    source_path VARCHAR,
    stage       VARCHAR NOT NULL,            -- read | validation | transport | replay | model
    chunk_index INTEGER,                     -- validation failures: which chunk
    record_type VARCHAR,
    reason      VARCHAR NOT NULL,
    failed_at   TIMESTAMP NOT NULL
);

-- Cross-source comparison, rebuilt from the tables above after every run.
CREATE TABLE IF NOT EXISTS incidents (
    incident_id     VARCHAR PRIMARY KEY,     -- what@place@date, e.g. air_drone_strike@khan-yunis@2024-06-08
    label           VARCHAR NOT NULL,
    record_type     VARCHAR NOT NULL,        -- event | talks | territorial_claim
    event_type      VARCHAR,                 -- ACLED sub-event type
    event_family    VARCHAR,                 -- ACLED event type
    date            DATE,
    date_precision  VARCHAR,                 -- day | week | month | year
    place_id        VARCHAR,
    place_name      VARCHAR,
    admin1          VARCHAR,
    country         VARCHAR,
    latitude        DOUBLE,
    longitude       DOUBLE,
    place_precision VARCHAR,                 -- settlement | region | country
    n_documents     INTEGER NOT NULL,
    n_records       INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS record_incidents (
    record_id   VARCHAR PRIMARY KEY,
    document_id VARCHAR NOT NULL,
    incident_id VARCHAR NOT NULL
);

-- Why two records of different documents were joined into one incident.
CREATE TABLE IF NOT EXISTS incident_links (
    incident_id VARCHAR NOT NULL,
    record_a    VARCHAR NOT NULL,
    record_b    VARCHAR NOT NULL,
    document_a  VARCHAR NOT NULL,
    document_b  VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,             -- the sum of the terms; records join at 0.5 on average
    terms       STRUCT(place DOUBLE, date DOUBLE, event_type DOUBLE, actors DOUBLE) NOT NULL,
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
    n_languages INTEGER NOT NULL,
    reports     STRUCT(document_id VARCHAR, outlet VARCHAR, language VARCHAR, value_min DOUBLE,
                       value_max DOUBLE, phrase VARCHAR, quote VARCHAR, statements INTEGER,
                       gloss VARCHAR)[] NOT NULL,
    verdict     VARCHAR NOT NULL             -- agree | compatible | conflict
);

-- Spellings of one name across documents, under the canonical (most used) spelling.
CREATE TABLE IF NOT EXISTS names (
    canonical   VARCHAR NOT NULL,
    spelling    VARCHAR NOT NULL,
    document_id VARCHAR NOT NULL,
    occurrences INTEGER NOT NULL
);

-- `claimdiff eval`: one row per corpus scored.
CREATE TABLE IF NOT EXISTS eval_runs (
    eval_id          VARCHAR PRIMARY KEY,    -- sortable: UTC time + random suffix
    evaluated_at     TIMESTAMP NOT NULL,
    corpus           VARCHAR NOT NULL,       -- seeds | dev | multilingual | …
    model            VARCHAR,
    prompt_version   VARCHAR,
    schema_version   VARCHAR,
    numeric_precision DOUBLE, numeric_recall DOUBLE, numeric_f1 DOUBLE,
    all_precision    DOUBLE, all_recall DOUBLE, all_f1 DOUBLE,
    cluster_precision DOUBLE, cluster_recall DOUBLE, cluster_f1 DOUBLE,
    verdict_accuracy DOUBLE,
    grounding_rate   DOUBLE NOT NULL,
    details          JSON NOT NULL
);
