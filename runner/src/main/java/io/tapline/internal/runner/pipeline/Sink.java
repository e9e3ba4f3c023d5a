package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import io.tapline.internal.protocol.arrow.RawInput;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.spi.RecordHandling;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the run loop puts a source's messages, whatever protocol the source spoke: tapline's own target
 * ({@link TargetSession}, Arrow in process) or external processes ({@link ChainSink}: mappers and/or a Singer
 * target). Both keep the same rule: a state counts as committed only once everything before it is durable,
 * and after {@link #fail()} nothing from after the last STATE is left to be loaded twice. Used on the run's
 * reading thread only (a chain's confirmed states are saved as they arrive, on its own reader).
 */
sealed interface Sink extends AutoCloseable permits TargetSession, ChainSink {
    /** What the destination asks of records (validation, flattening, metadata columns). */
    RecordHandling recordHandling();

    /** A stream's schema, Singer-shaped (an Airbyte source's comes from its configured catalog). */
    void schema(SchemaMessage message, long lineNumber);

    /**
     * One record, {@code record} on its {@code START_OBJECT}, consumed through its end. {@code raw} is the line's
     * bytes when the source has them (for the raw-JSON columns), else null. False if the stream has no schema.
     */
    boolean append(StreamName stream, JsonParser record, long lineNumber, RawInput raw) throws IOException;

    /** The fields a Singer RECORD carries after its record: version and time extracted. */
    void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted);

    void activateVersion(StreamName stream, long version);

    /** A STATE: everything before it is handed over; it is committed once that is durable. */
    void state(StateBlob state);

    /** End of a successful read: everything handed over, made durable, the last state committed. */
    void finish();

    /**
     * The run failed: what came before the last STATE is committed with it where that is still possible, the rest
     * is rolled back or never handed over. Idempotent; never throws (the run's own error is the one reported).
     */
    void fail();

    /** The source's process, once started: a sink whose destination dies stops it, so the run ends now. */
    default void sourceStarted(io.tapline.internal.runner.process.RunningPlugin source) {}

    /**
     * After {@link #fail()}: the destination's own failure, when it failed first (the source was then stopped
     * because of it, and its error would blame the wrong plugin).
     */
    default Optional<io.tapline.spi.TaplineException> failureCause() { return Optional.empty(); }

    long rowsCommitted();

    Map<StreamName, Long> committedPerStream();

    /** The last state made durable (the run's starting state if none was). */
    Optional<StateBlob> committedState();

    /** Frees the sink's buffers and processes. Does not close a tapline target (its owner does). */
    @Override
    void close();
}
