package dev.concierge.chat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package by feature, kept honest: internals stay internal and no other service is imported. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.concierge.chat");

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnFeature() {
        noClasses().that().resideOutsideOfPackage("dev.concierge.chat.conversation..")
                .should().dependOnClassesThat().resideInAPackage("dev.concierge.chat.conversation.internal..")
                .check(CLASSES);
    }

    @Test
    void dependsOnNoOtherService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.concierge.gateway..", "dev.concierge.search..", "dev.concierge.scraper..", "dev.concierge.commerce..", "dev.concierge.embedding..")
                .check(CLASSES);
    }
}
