package dev.concierge.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** Keeps each feature's {@code internal} package to itself, and the gateway off other services' code. */
class ArchitectureTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.concierge.gateway");

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnFeature() {
        for (String feature : List.of("tenants", "auth", "ratelimit", "verification")) {
            classes().that().resideInAPackage("dev.concierge.gateway." + feature + ".internal..")
                    .should().onlyBeAccessed().byClassesThat()
                    .resideInAPackage("dev.concierge.gateway." + feature + "..")
                    .check(GATEWAY);
        }
    }

    @Test
    void dependsOnNoOtherServiceButContracts() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.concierge.chat..", "dev.concierge.search..", "dev.concierge.scraper..",
                        "dev.concierge.commerce..", "dev.concierge.embedding..")
                .check(GATEWAY);
    }
}
