package io.tapline.internal.runner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.PipelineOptions;
import io.tapline.internal.protocol.singer.JsonSchema;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.StreamName;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.Target;
import io.tapline.spi.TargetException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The commit rule of {@link TargetSession}, call by call, with a target that records what it is given and what it
 * made durable (as Kafka Connect's {@code WorkerSinkTaskTest} drives a sink task): a state is saved only after a
 * flush that follows every record before it; on failure the target is aborted and nothing handed over after the
 * last STATE survives.
 */
class TargetSessionCommitRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StreamName USERS = new StreamName("users");
    private static final Duration NEVER = Duration.ofDays(1);

    private final RootAllocator allocator = new RootAllocator();
    private final List<String> calls = new ArrayList<>();
    private final RecordingTarget target = new RecordingTarget(calls);
    private final RecordingStateStore store = new RecordingStateStore(calls);

    @AfterEach
    void closeAllocator() {
        allocator.close(); // fails the test if the session leaked Arrow memory
    }

    @Test
    void aStateIsSavedOnlyAfterAFlushThatFollowsEveryRecordBeforeIt() throws IOException {
        try (TargetSession session = session(PipelineOptions.defaults().withCommitEvery(Duration.ZERO, 1))) {
            records(session, 1, 2);
            session.state(state(1));
            records(session, 3);
            session.state(state(2));
            session.finish();
        }

        assertThat(calls).containsSubsequence("write [1, 2]", "flush", "save " + state(1).json(),
                "write [3]", "flush", "save " + state(2).json());
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith("save")) {
                assertThat(calls.get(i - 1)).as("the call before " + calls.get(i)).isEqualTo("flush");
            }
        }
        assertThat(target.durable).containsExactly(1L, 2L, 3L);
        assertThat(store.saved).containsExactly(state(1), state(2));
    }

    @Test
    void aFailureCommitsWhatCameBeforeTheLastStateAndAbortsTheRest() throws IOException {
        try (TargetSession session = session(PipelineOptions.defaults().withCommitEvery(NEVER, Long.MAX_VALUE))) {
            records(session, 1, 2);
            session.state(state(1));
            records(session, 3, 4);
            session.fail();
        }

        assertThat(target.durable).containsExactly(1L, 2L);
        assertThat(store.saved).containsExactly(state(1));
        assertThat(calls).containsSubsequence("flush", "save " + state(1).json(), "abort");
        assertThat(calls).noneMatch(c -> c.startsWith("write") && (c.contains("3") || c.contains("4")));
    }

    @Test
    void aFullBatchAfterAStateCommitsThatStateBeforeItReachesTheTarget() throws IOException {
        // batches of 2: records 2 and 3 fill one after STATE 1, before any later STATE
        try (TargetSession session = session(PipelineOptions.defaults().withBatchRows(2)
                .withCommitEvery(NEVER, Long.MAX_VALUE))) {
            records(session, 1);
            session.state(state(1));
            records(session, 2, 3, 4);
            session.fail();
        }

        assertThat(calls).containsSubsequence("write [1]", "flush", "save " + state(1).json(), "write [2, 3]",
                "abort");
        assertThat(target.durable).as("nothing handed over after the last STATE survives").containsExactly(1L);
        assertThat(store.saved).containsExactly(state(1));
    }

    @Test
    void withoutAStateAFailureCommitsNothingAndRollsBackWhatWasHandedOver() throws IOException {
        try (TargetSession session = session(PipelineOptions.defaults().withBatchRows(1))) {
            records(session, 1, 2);
            session.fail();
        }

        assertThat(calls).contains("write [1]", "write [2]", "abort").doesNotContain("flush");
        assertThat(target.durable).isEmpty();
        assertThat(store.saved).isEmpty();
    }

    @Test
    void aTargetThatCannotFlushIsAbortedAndNoStateIsSaved() throws IOException {
        target.failFlushes = true;
        try (TargetSession session = session(PipelineOptions.defaults().withCommitEvery(Duration.ZERO, 1))) {
            records(session, 1);
            assertThatThrownBy(() -> session.state(state(1))).isInstanceOf(TargetException.class);
            session.fail();
        }

        assertThat(calls).contains("abort");
        assertThat(store.saved).isEmpty();
        assertThat(target.durable).isEmpty();
    }

    @Test
    void failingTwiceAbortsOnce() throws IOException {
        try (TargetSession session = session(PipelineOptions.defaults())) {
            records(session, 1);
            session.fail();
            session.fail();
        }

        assertThat(calls.stream().filter("abort"::equals)).hasSize(1);
    }

    private TargetSession session(PipelineOptions options) {
        TargetSession session = new TargetSession(target, allocator, store, "commit-rule", RunListener.noop(), options,
                StateWriteMode.COMPLETE, Optional.empty());
        session.schema(new SchemaMessage(USERS, new JsonSchema(JSON.createObjectNode().set("properties",
                JSON.createObjectNode().set("id", JSON.createObjectNode().put("type", "integer")))), List.of("id"),
                List.of()), 1);
        return session;
    }

    private static void records(TargetSession session, long... ids) throws IOException {
        for (long id : ids) {
            try (JsonParser p = new JsonFactory().createParser("{\"id\":" + id + "}")) {
                p.nextToken();
                assertThat(session.append(USERS, p, id, null)).isTrue();
            }
        }
    }

    private static StateBlob state(int n) {
        return new StateBlob("{\"bookmark\":" + n + "}");
    }

    /** A real target in memory: rows written are staged, made durable by flush, dropped by abort. */
    private static final class RecordingTarget implements Target {
        final List<Long> durable = new ArrayList<>();
        private final List<Long> staged = new ArrayList<>();
        private final List<String> calls;
        boolean failFlushes;
        private boolean aborted;

        RecordingTarget(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public void open(StreamSchema schema) {
            calls.add("open " + schema.stream());
        }

        @Override
        public void write(StreamSchema schema, VectorSchemaRoot batch) {
            if (aborted) {
                throw new IllegalStateException("write after abort");
            }
            BigIntVector ids = (BigIntVector) batch.getVector("id");
            List<Long> rows = new ArrayList<>();
            for (int i = 0; i < batch.getRowCount(); i++) {
                rows.add(ids.get(i));
            }
            staged.addAll(rows);
            calls.add("write " + rows);
        }

        @Override
        public void flush() {
            if (aborted) {
                throw new IllegalStateException("flush after abort");
            }
            calls.add("flush");
            if (failFlushes) {
                throw new TargetException("disk full");
            }
            durable.addAll(staged);
            staged.clear();
        }

        @Override
        public void abort() {
            if (!aborted) {
                aborted = true;
                calls.add("abort");
            }
            staged.clear();
        }

        @Override
        public void close() {
            staged.clear();
        }
    }

    /** A real state store in memory that logs each save in the shared call list. */
    private static final class RecordingStateStore implements StateStore {
        final List<StateBlob> saved = new ArrayList<>();
        private final Map<String, StateBlob> states = new HashMap<>();
        private final List<String> calls;

        RecordingStateStore(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public Optional<StateBlob> read(String stateId) { return Optional.ofNullable(states.get(stateId)); }

        @Override
        public void save(String stateId, StateBlob state, StateWriteMode mode) {
            calls.add("save " + state.json());
            saved.add(state);
            states.put(stateId, state);
        }

        @Override
        public void clear(String stateId) { states.remove(stateId); }
    }
}
