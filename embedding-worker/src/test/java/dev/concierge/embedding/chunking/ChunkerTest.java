package dev.concierge.embedding.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private final Chunker chunker = new Chunker(40, 60, 12, 100);

    @Test
    void headingsStartSectionsAndTravelWithTheirChunks() {
        List<Chunk> chunks = chunker.split("""
                # Shipping
                We ship to the Netherlands and Belgium.
                ## Costs
                Orders over 60 EUR ship free.
                - Express delivery costs 9.95 EUR.
                """);
        assertThat(chunks).extracting(Chunk::heading).containsExactly("Shipping", "Costs");
        assertThat(chunks.get(1).text()).contains("ship free").contains("Express delivery");
        assertThat(chunks.get(0).text()).doesNotContain("Costs");
    }

    @Test
    void paragraphsAndListItemsKeepTheirOwnLines() {
        List<Chunk> chunks = chunker.split("# Specifications\n- Maximum pressure: 11 bar.\n- Weight: 1.6 kg\nIt ships fast. Really fast.");
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).text()).isEqualTo("- Maximum pressure: 11 bar.\n- Weight: 1.6 kg\nIt ships fast. Really fast.");
    }

    @Test
    void longSectionsAreSplitOnSentencesWithOverlapAndStayWithinTheBound() {
        String text = IntStream.range(0, 30)
                .mapToObj(i -> "Sentence number " + i + " talks about bikes and pumps and lights.")
                .collect(Collectors.joining(" "));
        List<Chunk> chunks = chunker.split(text);

        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(c -> assertThat(Chunker.wordCount(c.text())).isLessThanOrEqualTo(60));
        assertThat(chunks).allSatisfy(c -> assertThat(c.text()).endsWith("."));
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String lastSentence = previous.substring(previous.lastIndexOf("Sentence number"));
            assertThat(chunks.get(i).text()).as("chunk %d overlaps its predecessor", i).startsWith(lastSentence);
        }
        String all = chunks.stream().map(Chunk::text).collect(Collectors.joining(" "));
        IntStream.range(0, 30).forEach(i -> assertThat(all).contains("number " + i + " "));
    }

    @Test
    void aRunOnSentenceIsCutAtWordBoundaries() {
        String runOn = IntStream.range(0, 200).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        List<Chunk> chunks = chunker.split(runOn);
        assertThat(chunks).allSatisfy(c -> assertThat(Chunker.wordCount(c.text())).isLessThanOrEqualTo(60));
        assertThat(chunks.get(chunks.size() - 1).text()).endsWith("word199");
    }

    @Test
    void emptyTextHasNoChunksAndTheChunkCountIsBounded() {
        assertThat(chunker.split("  \n ")).isEmpty();
        String many = IntStream.range(0, 500).mapToObj(i -> "# H" + i + "\nText " + i + ".").collect(Collectors.joining("\n"));
        assertThat(new Chunker(40, 60, 12, 50).split(many)).hasSize(50);
    }

    @Test
    void embeddingInputCarriesTitleAndHeading() {
        assertThat(new Chunk(0, "Costs", "Orders over 60 EUR ship free.").embeddingInput("Shipping policy"))
                .isEqualTo("Shipping policy. Costs. Orders over 60 EUR ship free.");
    }
}
