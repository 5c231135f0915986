package dev.concierge.embedding;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.concierge.embeddings.EmbeddingModels;
import dev.concierge.embeddings.OpenAiSettings;
import org.junit.jupiter.api.Test;

/** Package by feature, kept honest: chunking stays pure, models stay behind their port, no other service. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.concierge.embedding");

    @Test
    void chunkingKnowsNothingOfKafkaSpringOrModels() {
        noClasses().that().resideInAPackage("dev.concierge.embedding.chunking..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                        "dev.concierge.embeddings..", "dev.langchain4j..", "dev.concierge.embedding.pipeline..")
                .check(CLASSES);
    }

    @Test
    void theWorkerEmbedsThroughThePortAndOnlyConfigurationPicksTheModel() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.langchain4j..").check(CLASSES);
        noClasses().that().resideOutsideOfPackage("dev.concierge.embedding.config..")
                .should().dependOnClassesThat().belongToAnyOf(EmbeddingModels.class, OpenAiSettings.class)
                .check(CLASSES);
    }

    @Test
    void dependsOnNoOtherService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.concierge.gateway..",
                        "dev.concierge.chat..", "dev.concierge.search..", "dev.concierge.scraper..",
                        "dev.concierge.commerce..")
                .check(CLASSES);
    }
}
