-- Tombstones of removed pages. scrape.page-removed.v1 and embed.chunks-embedded.v1 are different
-- topics, so a chunks-embedded event can arrive after the removal of its page; it is applied only when
-- the page was embedded after the removal (see ChunkRepository). A page that is indexed again loses its
-- tombstone.
create table removed_pages (
    tenant_id  text        not null,
    url        text        not null,
    removed_at timestamptz not null,
    primary key (tenant_id, url)
);

-- When the page's indexed version was embedded (embed.chunks-embedded.v1 embedded_at): a removal older
-- than that is stale and leaves the page alone. Null for pages indexed before this column existed.
alter table pages add column embedded_at timestamptz;
