package io.tapline.it.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The library is sealed: {@code io.tapline} (the embedding API) and {@code io.tapline.spi} (what plugins
 * implement) are the only packages a user names, and the implementation's modules point one way. Runs over the main
 * classes of every module (this module sees them all), so a change anywhere that breaks a rule fails the build.
 */
@AnalyzeClasses(packages = "io.tapline", importOptions = ImportOption.DoNotIncludeTests.class)
class SealedLibraryTest {
    private static final String INTERNAL = "io.tapline.internal.";

    @ArchTest
    static final ArchRule apiSignaturesMentionNoImplementationType = classes()
            .that().resideInAnyPackage("io.tapline", "io.tapline.spi")
            .and().arePublic()
            .should(exposeNoInternalType())
            .because("a user of the API must never have to name, or be broken by, an io.tapline.internal type");

    @ArchTest
    static final ArchRule targetsAndStateDependOnlyOnTheSpiAndTheProtocol = noClasses()
            .that().resideInAnyPackage("io.tapline.internal.targets..", "io.tapline.internal.state..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.tapline", "io.tapline.internal.runner..", "io.tapline.internal.catalog..")
            .because("targets and state stores are plugins of the runner: they see the SPI and the protocol only");

    @ArchTest
    static final ArchRule targetsDoNotDependOnState = noClasses()
            .that().resideInAPackage("io.tapline.internal.targets..")
            .should().dependOnClassesThat().resideInAPackage("io.tapline.internal.state..");

    @ArchTest
    static final ArchRule stateDoesNotDependOnTargets = noClasses()
            .that().resideInAPackage("io.tapline.internal.state..")
            .should().dependOnClassesThat().resideInAPackage("io.tapline.internal.targets..");

    @ArchTest
    static final ArchRule protocolAndSpiDependOnNothingElseOfTapline = classes()
            .that().resideInAnyPackage("io.tapline.spi..", "io.tapline.internal.protocol..")
            .should().onlyDependOnClassesThat(
                    com.tngtech.archunit.base.DescribedPredicate.describe("outside tapline, or in the SPI or the protocol",
                            (JavaClass c) -> !c.getPackageName().startsWith("io.tapline")
                                    || c.getPackageName().startsWith("io.tapline.spi")
                                    || c.getPackageName().startsWith("io.tapline.internal.protocol")))
            .because("plugin authors need only the protocol module");

    @ArchTest
    static final ArchRule nothingButTheApiDependsOnTheRunner = noClasses()
            .that().resideOutsideOfPackages("io.tapline", "io.tapline.internal.runner..")
            .should().dependOnClassesThat().resideInAPackage("io.tapline.internal.runner..")
            .because("the runner is the top of the implementation: it uses every module, none uses it");

    /** No public or protected signature of the class names an internal type: members, supertypes, type parameters. */
    private static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no io.tapline.internal type in a public or protected signature") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                internalTypesIn(c).forEach(f -> events.add(SimpleConditionEvent.violated(c, f)));
            }
        };
    }

    private static List<String> internalTypesIn(JavaClass c) {
        List<String> found = new ArrayList<>();
        c.getSuperclass().ifPresent(t -> note(found, "supertype", t));
        c.getInterfaces().forEach(t -> note(found, "interface", t));
        c.getTypeParameters().forEach(t -> note(found, "type parameter", t));
        for (JavaField f : c.getFields()) {
            if (visible(f.getModifiers())) {
                note(found, "field " + f.getName(), f.getType());
            }
        }
        for (JavaCodeUnit u : c.getCodeUnits()) {
            if (!visible(u.getModifiers()) || u.getName().equals("<clinit>")) {
                continue;
            }
            String where = (u.getName().equals("<init>") ? "constructor" : "method " + u.getName()) + "(...)";
            note(found, where + " return", u.getReturnType());
            u.getParameterTypes().forEach(p -> note(found, where + " parameter", p));
            u.getThrowsClause().getTypes().forEach(t -> note(found, where + " throws", t));
            u.getTypeParameters().forEach(t -> note(found, where + " type parameter", t));
        }
        return found.stream().distinct().map(f -> c.getName() + ": " + f).toList();
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void note(List<String> found, String where, JavaType type) {
        Set<JavaClass> involved = type instanceof JavaTypeVariable<?> v
                ? v.getUpperBounds().stream().flatMap(b -> b.getAllInvolvedRawTypes().stream())
                        .collect(java.util.stream.Collectors.toSet())
                : type.getAllInvolvedRawTypes();
        for (JavaClass raw : involved) {
            if (raw.getName().startsWith(INTERNAL)) {
                found.add(where + " mentions " + raw.getName());
            }
        }
    }
}
