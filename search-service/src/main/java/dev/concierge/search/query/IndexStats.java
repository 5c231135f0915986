package dev.concierge.search.query;

import dev.concierge.contracts.EmbeddingModelId;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * What the index holds for a tenant. {@code model}/{@code dimension} name the model most of its pages are
 * embedded with; {@code models} lists every model present (two during a model switch), and
 * {@code configuredModel} the one new pages get: when they differ, re-embedding is under way.
 */
public record IndexStats(String domain, long pages, long chunks, String model, Integer dimension,
                         OffsetDateTime lastIndexedAt, List<ModelStats> models, String configuredModel) {

    public record ModelStats(String model, Integer dimension, long pages, long chunks, OffsetDateTime lastIndexedAt) {
    }

    static IndexStats of(String domain, List<ModelStats> models, EmbeddingModelId configured) {
        long pages = models.stream().mapToLong(ModelStats::pages).sum();
        long chunks = models.stream().mapToLong(ModelStats::chunks).sum();
        OffsetDateTime last = models.stream().map(ModelStats::lastIndexedAt).filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        ModelStats main = models.isEmpty() ? null : models.get(0);
        return new IndexStats(domain, pages, chunks, main == null ? null : main.model(),
                main == null ? null : main.dimension(), last, models, configured.name());
    }
}
