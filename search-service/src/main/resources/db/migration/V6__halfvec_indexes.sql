-- HNSW over half-precision copies of the vectors (halfvec): half the index size and memory traffic, so at
-- 1M chunks the index is 1.1 GB instead of 2 GB and a larger ef_search fits the same latency (recall 0.995
-- at 357 QPS instead of 0.949 at 239 QPS; docs/benchmarks.md). The stored vectors stay full precision: the
-- index only finds candidates, and scores are computed from the stored vectors. Small tenants are searched
-- exactly (SEARCH_EXACT_MAX_CHUNKS) and never touch the index.
drop index if exists chunks_embedding_minilm_l6_v2_q;
drop index if exists chunks_embedding_text_embedding_3_small;
create index chunks_halfvec_minilm_l6_v2_q on chunks
    using hnsw ((embedding::halfvec(384)) halfvec_cosine_ops) with (m = 16, ef_construction = 64)
    where model = 'all-minilm-l6-v2-q';
create index chunks_halfvec_text_embedding_3_small on chunks
    using hnsw ((embedding::halfvec(1536)) halfvec_cosine_ops) with (m = 16, ef_construction = 64)
    where model = 'text-embedding-3-small';
