package io.tapline.internal.state;

import static io.tapline.spi.StateStrategy.AUTO;
import static io.tapline.spi.StateStrategy.MERGE;
import static io.tapline.spi.StateStrategy.OVERWRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.ConfigException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateStrategy;
import io.tapline.spi.StateWriteMode;
import io.tapline.internal.state.file.FileStateStore;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cases K1-K6 and {@code StateStrategy.from_cli_args} (testdata/meltano/CASES.md section 3). */
class StateStrategyTest {
    @TempDir Path dir;

    @ParameterizedTest(name = "{0}: full_refresh={1} strategy={2} -> merge={3}")
    @CsvSource({
        "K1, true, auto, true",
        "K2, true, merge, true",
        "K3, true, overwrite, false",
        "K4, false, auto, false",
        "K5, false, merge, true",
        "K6, false, overwrite, false"})
    void strategyAndFullRefreshDecideWhetherStatesMerge(String caseId, boolean fullRefresh, String strategy,
            boolean merges) {
        StateStrategy s = StateStrategy.parse(strategy);
        assertThat(s.merges(fullRefresh)).as(caseId).isEqualTo(merges);
        assertThat(s.writeMode(fullRefresh)).as(caseId)
                .isEqualTo(merges ? StateWriteMode.PARTIAL : StateWriteMode.COMPLETE);
    }

    @Test
    void mergeStateFlagTurnsAutoIntoMergeAndLeavesOthersAloneWhenOff() {
        assertThat(StateStrategy.fromCliArgs(true, AUTO)).isEqualTo(MERGE);
        assertThat(StateStrategy.fromCliArgs(false, AUTO)).isEqualTo(AUTO);
        assertThat(StateStrategy.fromCliArgs(false, MERGE)).isEqualTo(MERGE);
        assertThat(StateStrategy.fromCliArgs(false, OVERWRITE)).isEqualTo(OVERWRITE);
    }

    @Test
    void mergeStateFlagWithAnExplicitStrategyIsAUsageError() {
        assertThatThrownBy(() -> StateStrategy.fromCliArgs(true, MERGE)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> StateStrategy.fromCliArgs(true, OVERWRITE)).isInstanceOf(ConfigException.class);
    }

    @Test
    void unknownStrategyIsRefusedByName() {
        assertThatThrownBy(() -> StateStrategy.parse("sometimes")).hasMessageContaining("'sometimes'");
    }

    @Test
    void mergeStrategyKeepsBookmarksOfStreamsTheRunDidNotTouch() {
        FileStateStore files = FileStateStore.at(dir);
        files.save("s", new StateBlob("{\"bookmarks\":{\"a\":1,\"b\":1}}"), StateWriteMode.COMPLETE);
        // the run asks for COMPLETE (no full refresh), the merge strategy makes it a partial state
        StrategyStateStore.of(files, MERGE).save("s", new StateBlob("{\"bookmarks\":{\"a\":2}}"), StateWriteMode.COMPLETE);
        assertThat(files.read("s")).contains(new StateBlob("{\"bookmarks\":{\"a\":2,\"b\":1}}"));
    }

    @Test
    void overwriteStrategyReplacesEvenOnAFullRefresh() {
        FileStateStore files = FileStateStore.at(dir);
        files.save("s", new StateBlob("{\"bookmarks\":{\"a\":1,\"b\":1}}"), StateWriteMode.COMPLETE);
        StrategyStateStore.of(files, OVERWRITE).save("s", new StateBlob("{\"bookmarks\":{\"a\":2}}"), StateWriteMode.PARTIAL);
        assertThat(files.read("s")).contains(new StateBlob("{\"bookmarks\":{\"a\":2}}"));
    }
}
