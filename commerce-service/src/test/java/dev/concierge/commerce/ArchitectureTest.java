package dev.concierge.commerce;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package by feature, kept honest: the WooCommerce adapter knows no feature, and no other service is imported. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.concierge.commerce");

    @Test
    void theWooCommerceClientDependsOnNoFeature() {
        noClasses().that().resideInAPackage("dev.concierge.commerce.woocommerce..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.concierge.commerce.catalog..",
                        "dev.concierge.commerce.connection..", "dev.concierge.commerce.tools..", "dev.concierge.commerce.webhooks..")
                .check(CLASSES);
    }

    @Test
    void theCatalogDoesNotDependOnItsCallers() {
        noClasses().that().resideInAPackage("dev.concierge.commerce.catalog..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.concierge.commerce.tools..",
                        "dev.concierge.commerce.webhooks..")
                .check(CLASSES);
    }

    @Test
    void featuresHaveNoCycles() {
        slices().matching("dev.concierge.commerce.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void dependsOnNoOtherService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.concierge.gateway..", "dev.concierge.chat..",
                        "dev.concierge.search..", "dev.concierge.scraper..", "dev.concierge.embedding..")
                .check(CLASSES);
    }
}
