package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import io.tapline.PipelineOptions;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.spi.TaplineException;
import io.tapline.internal.protocol.arrow.BatchBuilder;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.internal.protocol.singer.SchemaMessage;
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
 * The commit rule, for tapline's own targets (the {@link Sink} of the run loop). Records go into per-stream Arrow
 * builders; a builder's batch goes to the target when full and at every STATE, so at a STATE
 * everything before it is with the target. A state is saved only after a {@code target.flush()}
 * that follows it. A batch that would reach the target after a STATE not yet committed commits that state
 * first, so the target never holds records from after the last STATE beside ones not yet committed from
 * before it. After a failure ({@link #fail()}) what came before the last STATE is committed with it and
 * {@link Target#abort()} rolls back everything else: records after the last STATE are dropped, exactly.
 * Used on the run's reading thread only.
 *
 * <p>It also applies the target's {@link RecordHandling}: Singer metadata columns are added to each stream's schema
 * and filled here; an ACTIVATE_VERSION adds {@code _sdc_table_version} and {@code _sdc_deleted_at} to its stream
 * (from then on in the run) and reaches the target after every earlier batch of that stream.
 */
final class TargetSession implements Sink {
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
    /** A batch went to the target after the pending state: flushing now would commit it under that state. */
    private boolean handedPastPending;
    private boolean failed;
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
    @Override
    public RecordHandling recordHandling() { return handling; }

    /** A SCHEMA: its columns, flattened as deep as the target asks. */
    @Override
    public void schema(SchemaMessage message, long lineNumber) {
        open(JsonSchemaToArrow.convert(message, lineNumber, handling.flattenDepth()));
    }

    /** A stream's schema; an identical one changes nothing, a changed one ends the stream's current batch. */
    void open(StreamSchema schema) {
        StreamBuffer existing = buffers.get(schema.stream());
        if (existing != null) {
            if (existing.source.equals(schema)) {
                return;
            }
            handOverOutsideState(existing);
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
    @Override
    public void activateVersion(StreamName stream, long version) {
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
            handOverOutsideState(buffer);
            buffer.builder.close();
            open(source);
            buffer = buffers.get(stream);
        }
        handOverOutsideState(buffer);
        commitPendingState(); // the version switch itself must not land under the state before it
        target.activateVersion(buffer.schema, version);
    }

    /** The message fields after a record appended by {@link #append}: version and time extracted. */
    @Override
    public void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted) {
        StreamBuffer buffer = lastBuffer;
        if (buffer != null && buffer.metadata != null && buffer.schema.stream() == stream
                && buffer.builder.rowCount() > 0) {
            buffer.metadata.recordEnd(buffer.builder.rowCount() - 1, version, timeExtracted);
        }
    }

    /** Appends one record; false (nothing read) if the stream has no schema. */
    @Override
    public boolean append(StreamName stream, JsonParser record, long lineNumber, RawInput raw) throws IOException {
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
            handOverOutsideState(buffer);
        }
    }

    /** A batch handed over between STATEs: the pending state is committed first (see the class comment). */
    private void handOverOutsideState(StreamBuffer buffer) {
        if (buffer.builder.rowCount() > 0) {
            commitPendingState();
            handOver(buffer);
        }
    }

    private void commitPendingState() {
        if (pendingState.isPresent() && !pendingState.equals(committedState)) {
            commit();
        }
    }

    /** A STATE: everything before it goes to the target; committed now if enough time or rows passed. */
    @Override
    public void state(StateBlob state) {
        handedPastPending = pendingState.isPresent() && !pendingState.equals(committedState);
        handOverAll();
        handedPastPending = false; // everything handed is before the new pending state
        pendingState = Optional.of(state);
        if (rowsHandedSinceCommit >= options.commitEveryRows()
                || System.nanoTime() - lastCommitNanos >= options.commitEvery().toNanos()) {
            commit();
        }
    }

    /** End of a successful run: everything to the target, then flush and commit. */
    @Override
    public void finish() {
        handOverAll();
        commit();
    }

    /** Flushes the target, then saves the pending state: never the other way round. */
    private void commit() {
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
     * After a failure: commits what came before the last STATE (by the rule above, all the target holds
     * uncommitted), then {@link Target#abort() aborts} the target, which rolls back anything else. Records
     * buffered after the last STATE never reach the target. Nothing is committed when no new STATE came, when
     * a batch from after it already reached the target, nor when the target cannot flush. Idempotent; never throws.
     */
    @Override
    public void fail() {
        if (failed) {
            return;
        }
        failed = true;
        if (pendingState.isPresent() && !pendingState.equals(committedState) && !handedPastPending) {
            try {
                commit();
            } catch (TaplineException e) {
                log.error("Could not commit the last state after the failure: {}", e.getMessage());
            }
        }
        try {
            target.abort();
        } catch (RuntimeException e) {
            log.warn("Target abort failed after the run failed: {}", e.getMessage());
        }
        handedPerStream.clear();
    }

    @Override
    public Map<StreamName, Long> committedPerStream() { return committedPerStream; }

    @Override
    public long rowsCommitted() {
        return committedPerStream.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public Optional<StateBlob> committedState() { return committedState; }

    /** Frees every stream's builder, then closes the target (it owns it). */
    @Override
    public void close() {
        try {
            buffers.values().forEach(b -> b.builder.close());
            buffers.clear();
        } finally {
            target.close();
        }
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
