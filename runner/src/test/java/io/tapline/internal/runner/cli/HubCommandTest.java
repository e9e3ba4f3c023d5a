package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.internal.catalog.CatalogType;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tapline hub search}: one line per catalog definition that matches, as the catalog finds them. */
class HubCommandTest {
    @TempDir Path dir;
    private final PluginCatalog catalog = PluginCatalog.bundled();

    @Test
    void searchPrintsTypeNameVariantAndCapabilitiesOfEveryMatch() {
        Cli.Result r = new Cli(dir).run("hub", "search", "jsonl");
        assertThat(r.exit()).as(r.err()).isZero();
        List<PluginDefinition> expected = catalog.search("jsonl");
        assertThat(r.out().lines()).hasSize(expected.size());
        for (PluginDefinition p : expected) {
            String variant = p.variant()
                    + (catalog.defaultVariant(p.type(), p.name()).map(p.variant()::equals).orElse(false) ? " *" : "");
            assertThat(r.out().lines()).contains(String.join("\t", p.type().key(), p.name(), variant,
                    String.join(",", new TreeSet<>(p.capabilities()))));
        }
        assertThat(r.out()).contains("loaders\ttarget-jsonl\ttapline *\t");
    }

    @Test
    void typeOptionKeepsOnlyThatType() {
        Cli.Result r = new Cli(dir).run("hub", "search", "postgres", "--type", "extractors");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).isNotEmpty().allMatch(l -> l.startsWith("extractors\t"));
        assertThat(r.out().lines()).hasSize((int) catalog.search("postgres").stream()
                .filter(p -> p.type() == CatalogType.EXTRACTORS).count());
    }

    @Test
    void noMatchSaysSoAndExitsNonZero() {
        Cli.Result r = new Cli(dir).run("hub", "search", "zz-no-such-plugin-zz");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("no plugin matches 'zz-no-such-plugin-zz'");
    }

    @Test
    void unknownTypeIsAUsageError() {
        Cli.Result r = new Cli(dir).run("hub", "search", "csv", "--type", "taps");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown plugin type 'taps'");
    }

    @Test
    void helpDescribesTheVerb() {
        Cli.Result r = new Cli(dir).run("hub", "search", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("WORD").contains("--type");
        assertThat(catalog.find(CatalogType.LOADERS, "target-jsonl", Optional.empty())).isPresent();
    }
}
