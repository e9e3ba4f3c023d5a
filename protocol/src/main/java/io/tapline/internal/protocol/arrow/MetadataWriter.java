package io.tapline.internal.protocol.arrow;

import io.tapline.spi.StreamSchema;
import io.tapline.spi.Column;
import io.tapline.spi.MetadataColumn;

import java.time.DateTimeException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the Singer metadata columns tapline added to a stream (see {@link MetadataColumn}) in a {@link BatchBuilder}'s
 * batch: the values that come from the message around a record rather than from the record. Not thread-safe.
 */
public final class MetadataWriter {
    private static final Logger log = LoggerFactory.getLogger(MetadataWriter.class);

    private final Map<MetadataColumn, Object> vectors = new EnumMap<>(MetadataColumn.class);
    private final SequenceSource sequence;
    private boolean badTimeExtractedLogged;

    /** The run-wide {@code _sdc_sequence}: increases by one per record, starting at the run's start in epoch microseconds. */
    public static final class SequenceSource {
        private long next = System.currentTimeMillis() * 1000;

        long next() { return next++; }
    }

    private MetadataWriter(SequenceSource sequence) {
        this.sequence = sequence;
    }

    /**
     * A writer for the metadata columns {@code effective} has and {@code source} (the stream's own schema) does not,
     * or empty when there are none to fill.
     */
    public static Optional<MetadataWriter> forSchema(StreamSchema source, StreamSchema effective, BatchBuilder builder,
            SequenceSource sequence) {
        MetadataWriter w = new MetadataWriter(sequence);
        for (MetadataColumn m : MetadataColumn.values()) {
            if (m == MetadataColumn.DELETED_AT || source.column(m.columnName()) != null) {
                continue; // _sdc_deleted_at comes from the record itself, or from ACTIVATE_VERSION in the target
            }
            Column c = effective.column(m.columnName());
            if (c != null) {
                w.vectors.put(m, builder.vector(c.name()));
            }
        }
        return w.vectors.isEmpty() ? Optional.empty() : Optional.of(w);
    }

    /** A record was appended at {@code row}: when it arrived and its sequence number. */
    public void received(int row) {
        if (vectors.get(MetadataColumn.RECEIVED_AT) instanceof TimeStampMicroTZVector v) {
            v.setSafe(row, System.currentTimeMillis() * 1000);
        }
        if (vectors.get(MetadataColumn.SEQUENCE) instanceof BigIntVector v) {
            v.setSafe(row, sequence.next());
        }
    }

    /** The message fields after the record at {@code row}: its table version and extraction time. */
    public void recordEnd(int row, OptionalLong version, Optional<String> timeExtracted) {
        if (version.isPresent() && vectors.get(MetadataColumn.TABLE_VERSION) instanceof BigIntVector v) {
            v.setSafe(row, version.getAsLong());
        }
        if (timeExtracted.isPresent() && vectors.get(MetadataColumn.EXTRACTED_AT) instanceof TimeStampMicroTZVector v) {
            String text = timeExtracted.get();
            try {
                v.setSafe(row, Iso8601.timestampMicros(text.toCharArray(), 0, text.length()));
            } catch (DateTimeException | ArithmeticException e) {
                if (!badTimeExtractedLogged) {
                    badTimeExtractedLogged = true;
                    log.warn("time_extracted is not an ISO 8601 timestamp; _sdc_extracted_at left null for such records");
                }
            }
        }
    }

    /** The batch of {@code rows} rows goes to the target now. */
    public void batched(int rows) {
        if (vectors.get(MetadataColumn.BATCHED_AT) instanceof TimeStampMicroTZVector v) {
            long now = System.currentTimeMillis() * 1000;
            for (int i = 0; i < rows; i++) {
                v.setSafe(i, now);
            }
        }
    }
}
