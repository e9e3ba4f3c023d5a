package io.tapline.internal.state.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.spi.StateBlob;
import io.tapline.spi.StateWriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meltano state list --pattern} over the job-history fixture ids (CASES.md ID14, H1-H6 ids). */
class FileStateStoreListTest {
    private static final List<String> FIXTURE_IDS = List.of(
            "dev:tap-single-incomplete-to-target-single-incomplete",
            "dev:tap-single-complete-to-target-single-complete",
            "dev:tap-multiple-incompletes-to-target-multiple-incompletes",
            "dev:tap-multiple-completes-to-target-multiple-completes",
            "dev:tap-single-complete-then-multiple-incompletes-to-target-single-complete-then-multiple-incompletes",
            "dev:tap-single-incomplete-then-multiple-completes-to-target-single-incomplete-then-multiple-completes");

    @TempDir Path dir;
    private FileStateStore store;

    @BeforeEach
    void fixtureStates() {
        store = FileStateStore.at(dir);
        FIXTURE_IDS.forEach(id -> store.save(id, new StateBlob("{\"bookmark-0\":9}"), StateWriteMode.COMPLETE));
    }

    @Test
    void withoutPatternEveryStoredIdIsListedSorted() {
        assertThat(store.stateIds(Optional.empty())).containsExactlyElementsOf(FIXTURE_IDS.stream().sorted().toList());
    }

    @Test
    void patternIsAGlobOverTheWholeId() { // ID14
        assertThat(store.stateIds(Optional.of("test:*"))).isEmpty();
        assertThat(store.stateIds(Optional.of("*-to-*"))).containsExactlyInAnyOrderElementsOf(FIXTURE_IDS);
        assertThat(store.stateIds(Optional.of("multiple-complete"))).isEmpty();
        assertThat(store.stateIds(Optional.of("*multiple-complete"))).isEmpty();
        assertThat(store.stateIds(Optional.of("*multiple-completes"))).hasSize(2);
    }

    @Test
    void clearedIdsAndLockOnlyFoldersAreNotListed() throws Exception {
        store.clear(FIXTURE_IDS.get(0));
        Files.createDirectories(dir.resolve("dev:other-to-x"));
        Files.writeString(dir.resolve("dev:other-to-x/run.lock"), "");
        assertThat(store.stateIds(Optional.empty())).hasSize(FIXTURE_IDS.size() - 1).doesNotContain(FIXTURE_IDS.get(0));
    }
}
