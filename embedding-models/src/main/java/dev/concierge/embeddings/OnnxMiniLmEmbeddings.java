package dev.concierge.embeddings;

import dev.concierge.contracts.EmbeddingModelId;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;

/** all-MiniLM-L6-v2, quantised, in-process ONNX: no network, 384 dimensions, the default. */
final class OnnxMiniLmEmbeddings implements TextEmbeddings {

    private final EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    @Override
    public EmbeddingModelId id() {
        return EmbeddingModelId.MINILM_L6_V2_Q;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream().map(e -> e.vector()).toList();
    }
}
