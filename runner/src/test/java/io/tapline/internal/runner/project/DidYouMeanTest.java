package io.tapline.internal.runner.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.internal.catalog.CatalogType;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("gh-11")
class DidYouMeanTest {
    @TempDir Path dir;

    private ProjectConfig project() throws IOException {
        Path file = dir.resolve("meltano.yml");
        Files.writeString(file, """
                plugins:
                  extractors:
                  - {name: tap-postgres, executable: tap-postgres}
                  - {name: tap-github, executable: tap-github}
                  loaders:
                  - {name: target-duckdb, variant: tapline}
                """);
        return ProjectFile.load(file, Map.of(), PluginCatalog.bundled());
    }

    @Test
    void misspelledProjectPluginNamesTheClosestOnesAndExitsTwo() throws IOException {
        ProjectConfig p = project();
        assertThatThrownBy(() -> p.plugin("tap-postgre"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("did you mean 'tap-postgres'")
                .satisfies(e -> assertThat(((ConfigException) e).errorCode()).isEqualTo(ErrorCode.PLUGIN_UNKNOWN))
                .satisfies(e -> assertThat(((ConfigException) e).errorCode().exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> p.plugin(PluginType.LOADERS, "target-duckbd"))
                .hasMessageContaining("did you mean 'target-duckdb'");
    }

    @Test
    void aRunBlockThatIsNoPluginGetsASuggestion() throws IOException {
        ProjectConfig p = project();
        assertThatThrownBy(() -> BlockSets.parse(p, List.of("tap-githb", "target-duckdb")))
                .hasMessageContaining("did you mean 'tap-github'");
    }

    @Test
    void aCatalogPluginNotInTheProjectIsSuggestedAsSuch() throws IOException {
        ProjectConfig p = project();
        String catalogName = PluginCatalog.bundled().all().stream()
                .filter(d -> d.type() == CatalogType.EXTRACTORS)
                .map(d -> d.name()).filter(n -> n.length() > 6)
                .filter(n -> DidYouMean.closest(typo(n), List.of("tap-postgres", "tap-github")).isEmpty())
                .findFirst().orElseThrow();
        String typo = typo(catalogName);
        assertThatThrownBy(() -> p.plugin(PluginType.EXTRACTORS, typo))
                .hasMessageContaining("'" + catalogName + "'").hasMessageContaining("catalog");
    }

    private static String typo(String name) {
        return name.substring(0, name.length() - 1); // one letter short
    }

    @Test
    void nothingNearGivesNoSuggestion() throws IOException {
        assertThatThrownBy(() -> project().plugin("zzzzzzzzzzzz")).hasMessageNotContaining("did you mean");
    }

    @Test
    void distanceIsLevenshtein() {
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.closest("tap-gihtub", List.of("tap-github", "tap-gitlab", "target-x")))
                .first().isEqualTo("tap-github");
    }
}
