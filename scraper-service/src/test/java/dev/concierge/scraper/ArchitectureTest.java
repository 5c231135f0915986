package dev.concierge.scraper;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package by feature, kept honest: internals stay internal, features depend one way, no other service. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.concierge.scraper");

    @Test
    void internalPackagesAreUsedOnlyByTheirOwnFeature() {
        for (String feature : new String[] {"jobs", "crawling"}) {
            noClasses().that().resideOutsideOfPackage("dev.concierge.scraper." + feature + "..")
                    .should().dependOnClassesThat().resideInAPackage("dev.concierge.scraper." + feature + ".internal..")
                    .check(CLASSES);
        }
    }

    @Test
    void crawlingKnowsNothingOfJobsOrProgress() {
        noClasses().that().resideInAPackage("dev.concierge.scraper.crawling..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.concierge.scraper.jobs..",
                        "dev.concierge.scraper.progress..")
                .check(CLASSES);
    }

    @Test
    void dependsOnNoOtherService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.concierge.gateway..",
                        "dev.concierge.chat..", "dev.concierge.search..", "dev.concierge.commerce..",
                        "dev.concierge.embedding..")
                .check(CLASSES);
    }
}
