package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import io.tapline.PipelineOptions;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.spi.TaplineException;
import io.tapline.internal.protocol.arrow.BatchBuilder;
import io.tapline.spi.Column;
import io.tapline.spi.MetadataColumn;
import io.tapline.internal.protocol.arrow.MetadataWriter;
import io.tapline.internal.protocol.arrow.RawInput;
import io.tapline.spi.RecordHandling;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.Target;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit rule, shared by the Singer and Airbyte run loops. Records go into per-stream Arrow
 * builders; a builder's batch goes to the target when full and at every STATE, so at a STATE
 * everything before it is with the target. A state is saved only after a {@code target.flush()}
 * that follows it. After a failure, records after the last STATE are dropped and what came before
 * it is committed with that state. Used on the run's reading thread only.
 *
 * <p>It also applies the target's {@link RecordHandling}: Singer metadata columns are added to each stream's schema
 * and filled here; an ACTIVATE_VERSION adds {@code _sdc_table_version} and {@code _sdc_deleted_at} to its stream
 * (from then on in the run) and reaches the target after every earlier batch of that stream.
 */
final class TargetSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TargetSession.class);

    private final Target target;
    private final BufferAllocator allocator;
    private final StateStore stateStore;
    private final String stateId;
    private final RunListener listener;
    private final PipelineOptions options;
    private final StateWriteMode mode;
    private final Map<StreamName, StreamBuffer> buffers = new HashMap<>();
    private final Map<StreamName, Long> committedPerStream = new LinkedHashMap<>();
    private final Map<StreamName, Long> handedPerStream = new LinkedHashMap<>();
    private final RecordHandling handling;
    private final List<Column> metadataColumns = new ArrayList<>();
    private final Set<StreamName> versioned = new HashSet<>();
    private final MetadataWriter.SequenceSource sequence = new MetadataWriter.SequenceSource();
    private StreamBuffer lastBuffer;
    private Optional<StateBlob> pendingState = Optional.empty();
    private Optional<StateBlob> committedState;
    private long rowsHandedSinceCommit;
    private long lastCommitNanos = System.nanoTime();

    /**
     * @param alreadyCommitted the stored state the run started from: a tap echoing it back moves nothing forward
     * @param mode how each state is saved (Meltano: a full refresh merges, a normal run replaces)
     */
    TargetSession(Target target, BufferAllocator allocator, StateStore stateStore, String stateId, RunListener listener,
            PipelineOptions options, StateWriteMode mode, Optional<StateBlob> alreadyCommitted) {
        this.target = target;
        this.allocator = allocator;
        this.stateStore = stateStore;
        this.stateId = stateId;
        this.listener = listener;
        this.options = options;
        this.mode = mode;
        this.committedState = alreadyCommitted;
        this.handling = target.recordHandling();
        for (MetadataColumn m : MetadataColumn.values()) {
            if (handling.metadata().contains(m)) {
                metadataColumns.add(m.column());
            }
        }
    }

    /** What the target asks of records (flatten depth, validation, metadata). */
    RecordHandling recordHandling() { return handling; }

    /** A stream's schema; an identical one changes nothing, a changed one ends the stream's current batch. */
    void open(StreamSchema schema) {
        StreamBuffer existing = buffers.get(schema.stream());
        if (existing != null) {
            if (existing.source.equals(schema)) {
                return;
            }
            handOver(existing);
            existing.builder.close();
        }
        List<Column> extra = new ArrayList<>(metadataColumns);
        if (versioned.contains(schema.stream())) {
            extra.add(MetadataColumn.TABLE_VERSION.column());
            extra.add(MetadataColumn.DELETED_AT.column());
        }
        StreamSchema effective = schema.withColumns(extra);
        target.open(effective);
        BatchBuilder builder = new BatchBuilder(effective, allocator);
        buffers.put(schema.stream(), new StreamBuffer(schema, effective, builder,
                MetadataWriter.forSchema(schema, effective, builder, sequence).orElse(null)));
        lastBuffer = null;
        listener.streamSchema(schema.stream());
        listener.streamOpened(schema);
    }

    /**
     * An ACTIVATE_VERSION: the stream's pending records go to the target first, then the target retires older
     * versions. The stream gets its version columns first if it has none yet.
     */
    void activateVersion(StreamName stream, long version) {
        StreamBuffer buffer = buffers.get(stream);
        if (!handling.activateVersions()) {
            log.debug("Stream {}: ACTIVATE_VERSION {} ignored (the target does not process them)", stream, version);
            return;
        }
        if (buffer == null) {
            log.warn("ACTIVATE_VERSION for stream '{}' before its SCHEMA: ignored", stream);
            return;
        }
        if (versioned.add(stream)) {
            StreamSchema source = buffer.source;
            buffers.remove(stream);
            handOver(buffer);
            buffer.builder.close();
            open(source);
            buffer = buffers.get(stream);
        }
        handOver(buffer);
        target.activateVersion(buffer.schema, version);
    }

    /** The message fields after a record appended by {@link #append}: version and time extracted. */
    void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted) {
        StreamBuffer buffer = lastBuffer;
        if (buffer != null && buffer.metadata != null && buffer.schema.stream() == stream
                && buffer.builder.rowCount() > 0) {
            buffer.metadata.recordEnd(buffer.builder.rowCount() - 1, version, timeExtracted);
        }
    }

    /** Appends one record; false (nothing read) if the stream has no schema. */
    boolean append(StreamName stream, JsonParser record, long lineNumber, RawInput raw) throws IOException {
        StreamBuffer buffer = lastBuffer;
        if (buffer == null || buffer.schema.stream() != stream) { // parsers reuse a repeated stream's name
            buffer = buffers.get(stream);
            if (buffer == null) {
                return false;
            }
            lastBuffer = buffer;
        }
        BatchBuilder builder = buffer.builder;
        if (buffer.metadata != null) {
            // the batch stays until the next record, so the fields after this record (recordEnd) can still be set
            handOverIfFull(buffer);
            builder.append(record, lineNumber, raw);
            buffer.metadata.received(builder.rowCount() - 1);
            return true;
        }
        builder.append(record, lineNumber, raw);
        handOverIfFull(buffer);
        return true;
    }

    private void handOverIfFull(StreamBuffer buffer) {
        if (buffer.builder.rowCount() >= options.batchRows() || buffer.builder.bufferedBytes() >= options.batchBytes()) {
            handOver(buffer);
        }
    }

    /** A STATE: everything before it goes to the target; committed now if enough time or rows passed. */
    void state(StateBlob state) {
        handOverAll();
        pendingState = Optional.of(state);
        if (rowsHandedSinceCommit >= options.commitEveryRows()
                || System.nanoTime() - lastCommitNanos >= options.commitEvery().toNanos()) {
            commit();
        }
    }

    /** End of a successful run: everything to the target, then flush and commit. */
    void finish() {
        handOverAll();
        commit();
    }

    /** Flushes the target, then saves the pending state: never the other way round. */
    void commit() {
        log.debug("Flushing the target"); // this and "Saving state" are the kill harness's markers (KillHarnessIT)
        target.flush();
        handedPerStream.forEach((stream, rows) -> committedPerStream.merge(stream, rows, Long::sum));
        handedPerStream.clear();
        rowsHandedSinceCommit = 0;
        lastCommitNanos = System.nanoTime();
        if (pendingState.isPresent() && !pendingState.equals(committedState)) {
            StateBlob state = pendingState.get();
            if (options.updateState()) {
                log.debug("Saving state for {}", stateId);
                stateStore.save(stateId, state, mode);
            }
            committedState = pendingState;
            listener.stateCommitted(state, rowsCommitted());
            log.info("Committed state for {} after {} rows", stateId, rowsCommitted());
        }
    }

    /**
     * After a failure: commits what came before the last STATE. Records buffered after it are
     * dropped; nothing is committed when no new STATE came, nor when the target cannot flush.
     */
    void commitAfterFailure() {
        if (pendingState.isEmpty() || pendingState.equals(committedState)) {
            return;
        }
        try {
            commit();
        } catch (TaplineException e) {
            log.error("Could not commit the last state after the failure: {}", e.getMessage());
        }
    }

    Map<StreamName, Long> committedPerStream() { return committedPerStream; }

    long rowsCommitted() {
        return committedPerStream.values().stream().mapToLong(Long::longValue).sum();
    }

    Optional<StateBlob> committedState() { return committedState; }

    /** Frees every stream's builder. Does not close the target. */
    @Override
    public void close() {
        buffers.values().forEach(b -> b.builder.close());
        buffers.clear();
    }

    private void handOver(StreamBuffer buffer) {
        int rows = buffer.builder.rowCount();
        if (rows == 0) {
            return;
        }
        if (buffer.metadata != null) {
            buffer.metadata.batched(rows);
        }
        listener.batchWritten(buffer.schema, buffer.builder.root(), buffer.builder.bufferedBytes());
        target.write(buffer.schema, buffer.builder.root());
        buffer.builder.clear();
        rowsHandedSinceCommit += rows;
        handedPerStream.merge(buffer.schema.stream(), (long) rows, Long::sum);
        listener.rowsWritten(buffer.schema.stream(), rows);
    }

    private void handOverAll() {
        buffers.values().forEach(this::handOver);
    }

    /** A stream's builder: {@code source} is the schema the tap sent, {@code schema} it plus tapline's columns. */
    private record StreamBuffer(StreamSchema source, StreamSchema schema, BatchBuilder builder,
            MetadataWriter metadata) {}
}
