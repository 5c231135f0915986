package dev.concierge.embedding.embedding;

import dev.concierge.contracts.EmbeddingModelId;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The one port to the embedding model: all-MiniLM-L6-v2 (quantised), in-process ONNX, 384 dimensions.
 * Every vector it returns is recorded with {@link #model()} and {@link #dimension()} so the index never
 * compares vectors of different models.
 */
@Component
public class TextEmbedder {

    public static final String MODEL = EmbeddingModelId.MINILM_L6_V2_Q.name();
    public static final int DIMENSION = EmbeddingModelId.MINILM_L6_V2_Q.dimension();

    private final EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return model.embedAll(segments).content().stream().map(e -> e.vector()).toList();
    }

    public String model() {
        return MODEL;
    }

    public int dimension() {
        return DIMENSION;
    }
}
