package io.ipsecd.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: esp and conf depend on no other module; ike and dataplane never on
 * each other nor on cli. Only cli, the composition root, sees everything.
 */
class ModuleBoundariesTest {
  static List<ArchRule> rules(String root) {
    return List.of(
        forbid(root, "ike", "dataplane", "cli"),
        forbid(root, "dataplane", "ike", "cli", "conf"),
        forbid(root, "esp", "ike", "dataplane", "cli", "conf"),
        forbid(root, "conf", "ike", "dataplane", "esp", "cli"));
  }

  private static ArchRule forbid(String root, String module, String... others) {
    String[] packages = java.util.Arrays.stream(others).map(o -> root + "." + o + "..").toArray(String[]::new);
    return noClasses().that().resideInAPackage(root + "." + module + "..")
        .should().dependOnClassesThat().resideInAnyPackage(packages)
        .allowEmptyShould(true)
        .because(module + " must not depend on " + String.join(", ", others));
  }

  @Test
  void productionCodeKeepsTheModuleDirection() {
    JavaClasses production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.ipsecd");
    assertThat(production.contain("io.ipsecd.conf.ConfigLoader")).as("conf classes imported").isTrue();
    rules("io.ipsecd").forEach(rule -> rule.check(production));
  }

  @Test
  void theRulesCatchAnIkeClassThatReachesIntoTheDataplane() {
    JavaClasses fixtures = new ClassFileImporter().importPackages("io.ipsecd.cli.archfixture");
    assertThatThrownBy(() -> rules("io.ipsecd.cli.archfixture").forEach(rule -> rule.check(fixtures)))
        .hasMessageContaining("ike must not depend on dataplane, cli");
  }
}
