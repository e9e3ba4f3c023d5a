package io.tapline.internal.state.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateStoreException;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateWriteMode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cases D1-D6 and D21 of Meltano's state tests (testdata/meltano/CASES.md section 3). */
class FileStateStoreTest {
    @TempDir Path dir;
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void readOfUnknownStateIdIsEmpty() {
        assertThat(FileStateStore.at(dir).read("dev:tap-to-target")).isEmpty();
    }

    @Test
    void partialIsStoredAndReadBack() { // D1
        FileStateStore store = FileStateStore.at(dir);
        store.save("dev:a-to-b", new StateBlob("{\"partial\":1}"), StateWriteMode.PARTIAL);
        assertThat(store.read("dev:a-to-b")).contains(new StateBlob("{\"partial\":1}"));
    }

    @Test
    void partialMergesOntoExistingPartial() { // D2
        FileStateStore store = FileStateStore.at(dir);
        store.save("s", new StateBlob("{\"partial\":1}"), StateWriteMode.PARTIAL);
        store.save("s", new StateBlob("{\"partial\":2}"), StateWriteMode.PARTIAL);
        assertThat(store.read("s")).contains(new StateBlob("{\"partial\":2}"));
    }

    @Test
    void completeOverwritesPartial() throws Exception { // D4
        FileStateStore store = FileStateStore.at(dir);
        store.save("s", new StateBlob("{\"partial\":2}"), StateWriteMode.PARTIAL);
        store.save("s", new StateBlob("{\"complete\":1}"), StateWriteMode.COMPLETE);
        assertThat(store.read("s")).contains(new StateBlob("{\"complete\":1}"));
        assertThat(mapper.readTree(Files.readString(dir.resolve("s/state.json"))))
                .isEqualTo(mapper.readTree("{\"completed\":{\"singer_state\":{\"complete\":1}},\"partial\":{}}"));
    }

    @Test
    void partialIsDeepMergedOntoCompletedWhenRead() { // D6
        FileStateStore store = FileStateStore.at(dir);
        store.save("s", new StateBlob("{\"complete\":1}"), StateWriteMode.COMPLETE);
        store.save("s", new StateBlob("{\"partial\":1}"), StateWriteMode.PARTIAL);
        assertThat(store.read("s")).contains(new StateBlob("{\"complete\":1,\"partial\":1}"));
    }

    @Test
    void fileLayoutIsMeltanosStateIdFolderWithStateJson() throws Exception { // D21
        FileStateStore store = FileStateStore.at(dir);
        store.save("dev:tap-x-to-target-y", new StateBlob("{\"bookmarks\":{}}"), StateWriteMode.COMPLETE);
        assertThat(dir.resolve("dev:tap-x-to-target-y").resolve("state.json")).isRegularFile();
        try (var files = Files.list(dir.resolve("dev:tap-x-to-target-y"))) {
            assertThat(files).hasSize(1); // no temporary file left behind
        }
    }

    @Test
    void stateIdThatWouldEscapeTheRootIsRefused() {
        assertThatThrownBy(() -> FileStateStore.at(dir).read("../etc")).isInstanceOf(ConfigException.class);
    }

    @Test
    void secondLockOfTheSameStateIdIsRefusedWithMeltanosMessageUntilReleased() {
        FileStateStore store = FileStateStore.at(dir);
        try (StateLock first = store.lock("dev:tap-to-target")) {
            assertThatThrownBy(() -> store.lock("dev:tap-to-target"))
                    .isInstanceOf(StateStoreException.class)
                    .hasMessageStartingWith("Another 'dev:tap-to-target' pipeline is already running which started at ")
                    .hasMessageEndingWith("To ignore this check use the '--force' option.")
                    .satisfies(e -> assertThat(((StateStoreException) e).errorCode()).isEqualTo(ErrorCode.STATE_LOCKED));
            try (StateLock other = store.lock("dev:other-to-target")) {
                assertThat(other).isNotNull(); // other state ids are independent
            }
        }
        try (StateLock again = store.lock("dev:tap-to-target")) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void clearForgetsTheState() {
        FileStateStore store = FileStateStore.at(dir);
        store.save("s", new StateBlob("{\"a\":1}"), StateWriteMode.COMPLETE);
        store.clear("s");
        assertThat(store.read("s")).isEmpty();
    }
}
