package dev.concierge.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our MiniLM runs must give LangChain4j's vectors: chunks indexed before and queries embedded after have
 * to stay comparable. Compared text by text with LangChain4j's own model on texts from one character to
 * thousands of tokens, in many scripts, with markup, special-token look-alikes and lone word pieces.
 */
class OnnxMiniLmEmbeddingsTest {

    private static EmbeddingModel langChain4j;
    private static OnnxMiniLmEmbeddings ours;

    @BeforeAll
    static void loadModels() {
        langChain4j = new AllMiniLmL6V2QuantizedEmbeddingModel();
        ours = new OnnxMiniLmEmbeddings();
    }

    @AfterAll
    static void release() {
        langChain4j = null;
        ours = null;
    }

    @Test
    void givesLangChain4jsVectorForEveryText() {
        List<String> texts = variedTexts();
        assertThat(texts).hasSizeGreaterThanOrEqualTo(50);

        List<float[]> vectors = ours.embedAll(texts);

        assertThat(vectors).hasSameSizeAs(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = langChain4j.embed(texts.get(i)).content().vector();
            assertThat(vectors.get(i)).as("vector length of text %d", i).hasSize(384);
            assertThat(cosine(vectors.get(i), expected)).as("cosine to LangChain4j for text %d: %s", i,
                    abbreviate(texts.get(i))).isGreaterThanOrEqualTo(0.9999);
        }
    }

    @Test
    void aSingleTextGetsTheSameVectorAsInAList() {
        String query = "Do you ship waterproof jackets to Norway?";

        float[] alone = ours.embed(query);
        float[] inList = ours.embedAll(List.of("free returns within 30 days", query, "linen shirt")).get(1);

        assertThat(alone).containsExactly(inList);
    }

    @Test
    void keepsTheOrderOfTheTexts() {
        List<String> texts = IntStream.range(0, 40).mapToObj(i -> "chunk " + i + " about product " + (i * 7919 % 101))
                .toList();
        List<String> reversed = new ArrayList<>(texts);
        Collections.reverse(reversed);

        List<float[]> forwards = ours.embedAll(texts);
        List<float[]> backwards = ours.embedAll(reversed);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(backwards.get(texts.size() - 1 - i)).as("text %d", i).containsExactly(forwards.get(i));
            assertThat(forwards.get(i)).as("text %d", i).containsExactly(ours.embed(texts.get(i)));
        }
    }

    @Test
    void anEmptyListGivesNoVectors() {
        assertThat(ours.embedAll(List.of())).isEmpty();
    }

    @Test
    void rejectsTextWithoutTokensLikeLangChain4j() {
        for (String blank : List.of("", "   ", "\n\t ")) {
            assertThatThrownBy(() -> langChain4j.embed(blank)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ours.embed(blank)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty or whitespace-only");
            assertThatThrownBy(() -> ours.embedAll(List.of("fine", blank, "also fine")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theTokenizerCutsEveryTextAt128Tokens() {
        MiniLmEncoder encoder = new MiniLmEncoder(1, MiniLmEncoder.TOKENIZER_OPTIONS);

        assertThat(encoder.inputIds(words(2_000, new Random(3)))).hasSize(128);
        assertThat(encoder.inputIds("free delivery")).hasSize(4); // [CLS] free delivery [SEP]
    }

    @Test
    void textsLangChain4jWouldPartitionGoToLangChain4j() {
        // without the tokenizer file's truncation, as a later tokenizer might be: long texts have > 510 pieces
        MiniLmEncoder untruncated = new MiniLmEncoder(1, Map.of("padding", "false", "truncation", "false"));
        List<String> handedOver = Collections.synchronizedList(new ArrayList<>());
        OnnxMiniLmEmbeddings embeddings = new OnnxMiniLmEmbeddings(untruncated, 2, text -> {
            handedOver.add(text);
            return new float[] {42};
        });
        String longText = words(700, new Random(5));

        List<float[]> vectors = embeddings.embedAll(List.of("short text", longText, "another short one"));

        assertThat(handedOver).containsExactly(longText);
        assertThat(vectors.get(1)).containsExactly(42);
        assertThat(vectors.get(0)).hasSize(384).containsExactly(ours.embed("short text"));
        assertThat(vectors.get(2)).hasSize(384);
    }

    @Test
    void concurrentCallersGetTheSameVectors() throws Exception {
        List<String> texts = variedTexts().subList(40, 60);
        List<float[]> expected = ours.embedAll(texts);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> results = IntStream.range(0, 8)
                    .mapToObj(i -> callers.submit(() -> ours.embedAll(texts))).toList();
            for (Future<List<float[]>> result : results) {
                List<float[]> vectors = result.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(vectors.get(i)).containsExactly(expected.get(i));
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** 60 texts: one character, short queries, shop chunks, many scripts, markup, and texts of > 512 tokens. */
    static List<String> variedTexts() {
        Random random = new Random(42);
        List<String> texts = new ArrayList<>(List.of(
                ".", "a", "?", "  x  ", "-", "…", "ok", "Hi!", "SALE", "£5", "42", "returns",
                "Do you ship to Norway?",
                "What is your refund policy for sale items?",
                "Café crème brûlée – naïve façade",
                "Größe: 42, Farbe: Schwarz. Versandkostenfrei ab 50 €.",
                "Livraison gratuite dès 50 € — retours sous 30 jours.",
                "日本語のテキストです。送料無料。",
                "中文商品描述：纯棉T恤，多种颜色可选。",
                "한국어 제품 설명입니다.",
                "Доставка по всей России за 3 дня.",
                "شحن مجاني للطلبات فوق 50 دولار",
                "עברית: משלוח חינם",
                "🙂🚚📦",
                "Great jacket 👍 would buy again 🔥",
                "zero\u200Bwidth\u200Bspace and non\u00A0breaking",
                "tabs\tand\nnewlines\r\nmixed",
                "ALL CAPS SHOUTING ABOUT FREE DELIVERY",
                "https://shop.example.com/products/linen-shirt?colour=navy&size=M#reviews",
                "SKU: LS-2024-NAVY-M, EAN 5012345678900",
                "<p>Our <b>best</b> seller &amp; more</p>",
                "{\"price\": 29.99, \"currency\": \"GBP\"}",
                "if (x > 0) { return y; }",
                "supercalifragilisticexpialidocious",
                "a".repeat(150),
                "antidisestablishmentarianism unbelievably unrecognisable",
                "don't won't can't it's o'clock",
                "!!!???...",
                "1234567890 3.14159 1/2 50% £19.99 $5 €10",
                "e-mail: support@shop.example, tel. +44 20 7946 0958",
                "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ and ﬁne ﬂ ligatures",
                "Ωmega αβγ ∑ ∞ ≤ ≥",
                "control\u0007character",
                "[CLS] [SEP] [PAD] [MASK] [UNK]",
                "##ing ##s lone word pieces",
                "Mixed English und Deutsch et français"));
        for (int n : new int[] {20, 50, 80, 90, 100, 120, 150, 150}) {
            texts.add(words(n, random));
        }
        texts.add(words(700, random)); // > 512 tokens
        texts.add(words(2_500, random));
        texts.add("word-".repeat(600)); // 1,200 pieces from punctuation
        texts.add("纯棉T恤多种颜色可选".repeat(70)); // 700 CJK characters, a token each
        texts.add(texts.get(12)); // the same text twice in one list
        while (texts.size() < 60) {
            texts.add(words(5 + random.nextInt(40), random));
        }
        return texts;
    }

    private static final String[] VOCABULARY = ("the linen shirt merino jumper waterproof jacket is made from organic "
            + "cotton and comes in navy, sand or charcoal; free delivery over £50, returns within 30 days. sizes XS "
            + "to XXL fit true to size. machine wash at 30°C. customers love its comfort!").split(" ");

    static String words(int count, Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(VOCABULARY[random.nextInt(VOCABULARY.length)]).append(' ');
        }
        return text.toString().strip();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "… (" + text.length() + " chars)";
    }
}
