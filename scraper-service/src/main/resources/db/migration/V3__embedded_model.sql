-- The embedding model a stored page was last embedded with (embed.chunks-embedded.v1 model). A page
-- counts as indexed only when it is indexed with its current content AND with the model the platform is
-- configured with (EMBEDDING_MODEL): after a model switch the next crawl re-fetches and re-publishes every
-- page, and the pipeline re-embeds it, page by page, while search keeps answering from both models.
-- Pages indexed before this column existed were embedded with the only model there was then.
ALTER TABLE pages ADD COLUMN embedded_model text;
UPDATE pages SET embedded_model = 'all-minilm-l6-v2-q' WHERE indexed_hash IS NOT NULL;
