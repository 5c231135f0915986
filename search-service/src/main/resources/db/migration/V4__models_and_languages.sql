-- Vectors of several embedding models side by side, and full-text search in the page's language.
--
-- Models: every chunk records the model that embedded it, and the column no longer fixes a dimension.
-- Each model has its own partial HNSW index over the vector cast to its dimension; queries name the model
-- and cast the same way, so a query is only ever compared with vectors of its own model. A model switch
-- re-embeds pages one by one through the pipeline, and during the switch both models' pages are found.
-- A new model needs one such index (a new migration) before it is used; without it its pages are still
-- searched exactly, just not through HNSW.
drop index if exists chunks_embedding_hnsw;
alter table chunks alter column embedding type vector;
create index chunks_embedding_minilm_l6_v2_q on chunks
    using hnsw ((embedding::vector(384)) vector_cosine_ops) with (m = 16, ef_construction = 64)
    where model = 'all-minilm-l6-v2-q';
create index chunks_embedding_text_embedding_3_small on chunks
    using hnsw ((embedding::vector(1536)) vector_cosine_ops) with (m = 16, ef_construction = 64)
    where model = 'text-embedding-3-small';

-- Languages: the page's text search configuration, chosen from its language when indexed ('simple' when
-- PostgreSQL has no stemmer for it). tsv is regenerated with it.
alter table chunks add column ts_config regconfig not null default 'english';
alter table chunks drop column tsv;
alter table chunks add column tsv tsvector generated always as (
    setweight(to_tsvector(ts_config, coalesce(title, '')), 'A') ||
    setweight(to_tsvector(ts_config, coalesce(heading, '')), 'B') ||
    setweight(to_tsvector(ts_config, content), 'C')) stored;
create index chunks_tsv on chunks using gin (tsv);
alter table pages add column language text;
