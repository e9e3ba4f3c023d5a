package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.PipelineOptions;
import io.tapline.internal.protocol.arrow.RawInput;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.runner.process.ProcessChain;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.spi.RecordHandling;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.StreamName;
import io.tapline.spi.TargetException;
import io.tapline.spi.TaplineException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run loop's messages as Singer lines into external processes, as Meltano runs them: mappers and/or an
 * external Singer target ({@link ProcessChain#stdin}). The target writes a state to stdout once it has made
 * everything before it durable; each such line is saved as it arrives (on this sink's reader thread), so after any
 * failure the stored state is the last one the target confirmed. Lines that are not JSON objects or arrays are
 * logged and skipped, as Meltano does.
 *
 * <p>Records after the last STATE are held back (up to a batch's bytes) and written with the next STATE, so after a
 * failure they never reach the target: {@link #fail()} drops them and ends the target's input, and the target
 * confirms what came before. An Airbyte source's messages arrive here already Singer-shaped: SCHEMA from the
 * configured catalog, STATE holding the Airbyte state array, which the next run hands back to the source.
 */
final class ChainSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(ChainSink.class);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** External targets take ACTIVATE_VERSION themselves; nothing else is done to records on their behalf. */
    private static final RecordHandling HANDLING = new RecordHandling(Set.of(), 0, RecordHandling.Validation.OFF, true);

    private final ProcessChain chain;
    private final String targetName;
    private final StateStore stateStore;
    private final String stateId;
    private final StateWriteMode mode;
    private final RunListener listener;
    private final PipelineOptions options;
    private final OutputStream toChain;
    private final ByteArrayOutputStream spool = new ByteArrayOutputStream();
    private final JsonGenerator out;
    private final Thread reader;
    private final Map<StreamName, Long> handed = new LinkedHashMap<>();
    private final Map<StreamName, Long> spooled = new LinkedHashMap<>();
    /** Rows handed before each state written, by its normalised JSON: what a confirmation of it commits. */
    private final Map<String, Map<StreamName, Long>> rowsAtState = new HashMap<>();
    private final Object lock = new Object();
    private Map<StreamName, Long> committed = Map.of(); // guarded by lock
    private Optional<StateBlob> confirmed; // guarded by lock
    private RuntimeException readFailure; // guarded by lock
    private boolean recordOpen;
    private volatile boolean ended;
    private volatile RunningPlugin source;
    private int exitCode;

    ChainSink(ProcessChain chain, String targetName, StateStore stateStore, String stateId, StateWriteMode mode,
            Optional<StateBlob> alreadyCommitted, RunListener listener, PipelineOptions options) {
        this.chain = chain;
        this.targetName = targetName;
        this.stateStore = stateStore;
        this.stateId = stateId;
        this.mode = mode;
        this.listener = listener;
        this.options = options;
        this.confirmed = alreadyCommitted.flatMap(p -> normalised(p.json()));
        this.toChain = chain.stdin();
        try {
            this.out = new JsonFactory().createGenerator(spool);
            out.setRootValueSeparator(null); // each message ends with its own newline (write)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.reader = new Thread(this::readStates, "tapline-states-" + targetName);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public RecordHandling recordHandling() { return HANDLING; }

    @Override
    public void schema(SchemaMessage message, long lineNumber) {
        endRecord();
        listener.streamSchema(message.stream());
        write(() -> {
            out.writeStartObject();
            out.writeStringField("type", "SCHEMA");
            out.writeStringField("stream", message.stream().toString());
            out.writeFieldName("schema");
            JSON.writeTree(out, message.schema().node());
            out.writeArrayFieldStart("key_properties");
            for (String k : message.keyProperties()) {
                out.writeString(k);
            }
            out.writeEndArray();
            if (!message.bookmarkProperties().isEmpty()) {
                out.writeArrayFieldStart("bookmark_properties");
                for (String b : message.bookmarkProperties()) {
                    out.writeString(b);
                }
                out.writeEndArray();
            }
            out.writeEndObject();
        });
    }

    @Override
    public boolean append(StreamName stream, JsonParser record, long lineNumber, RawInput raw) throws IOException {
        endRecord();
        out.writeStartObject();
        out.writeStringField("type", "RECORD");
        out.writeStringField("stream", stream.toString());
        out.writeFieldName("record");
        out.copyCurrentStructure(record);
        recordOpen = true; // version and time_extracted may follow (recordEnd)
        spooled.merge(stream, 1L, Long::sum);
        if (spool.size() + out.getOutputBuffered() >= options.batchBytes()) {
            endRecord();
            handOver(); // too much to hold back: this much reaches the target before its STATE
        }
        return true;
    }

    @Override
    public void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted) {
        if (!recordOpen) {
            return;
        }
        write(() -> {
            if (version.isPresent()) {
                out.writeNumberField("version", version.getAsLong());
            }
            if (timeExtracted.isPresent()) {
                out.writeStringField("time_extracted", timeExtracted.get());
            }
        });
        endRecord();
    }

    @Override
    public void activateVersion(StreamName stream, long version) {
        endRecord();
        write(() -> {
            out.writeStartObject();
            out.writeStringField("type", "ACTIVATE_VERSION");
            out.writeStringField("stream", stream.toString());
            out.writeNumberField("version", version);
            out.writeEndObject();
        });
    }

    @Override
    public void state(StateBlob state) {
        endRecord();
        write(() -> {
            out.writeStartObject();
            out.writeStringField("type", "STATE");
            out.writeFieldName("value");
            out.writeRawValue(state.json());
            out.writeEndObject();
        });
        handOver();
        normalised(state.json()).ifPresent(s -> rowsAtState.put(s.json(), Map.copyOf(handed)));
    }

    @Override
    public void finish() {
        endRecord();
        handOver();
        int exitCode = endInputAndWait();
        synchronized (lock) {
            if (readFailure != null) {
                throw readFailure;
            }
        }
        if (exitCode != 0) {
            throw chain.failure(exitCode);
        }
    }

    @Override
    public void sourceStarted(RunningPlugin source) {
        this.source = source;
        if (!reader.isAlive()) {
            source.close(); // the chain already ended
        }
    }

    @Override
    public void fail() {
        if (ended) {
            return;
        }
        recordOpen = false;
        spool.reset(); // records after the last STATE never reach the target
        spooled.clear();
        try {
            exitCode = endInputAndWait(); // the target confirms what it received before
        } catch (TaplineException e) {
            log.warn("The chain did not end cleanly after the failure: {}", e.getMessage());
        }
    }

    @Override
    public Optional<TaplineException> failureCause() {
        return exitCode != 0 && chain.failedPlugin().isPresent() ? Optional.of(chain.failure(exitCode))
                : Optional.empty();
    }

    @Override
    public long rowsCommitted() {
        return committedPerStream().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public Map<StreamName, Long> committedPerStream() {
        synchronized (lock) {
            return committed;
        }
    }

    @Override
    public Optional<StateBlob> committedState() {
        synchronized (lock) {
            return confirmed;
        }
    }

    /** Stops every process of the chain still running. */
    @Override
    public void close() {
        chain.close();
        join();
    }

    /** The error to report when writing to the chain failed: the plugin that died, if one did. */
    TaplineException writeFailure(IOException e) {
        try {
            int exitCode = chain.waitFor(EXIT_TIMEOUT);
            if (exitCode != 0) {
                return chain.failure(exitCode);
            }
        } catch (TaplineException waitFailed) {
            e.addSuppressed(waitFailed);
        }
        return new TargetException("writing to '" + chain.names().get(0) + "' failed: " + e.getMessage(), e);
    }

    private int endInputAndWait() {
        ended = true;
        try {
            toChain.close();
        } catch (IOException e) {
            log.debug("closing the chain's input: {}", e.getMessage()); // a stage already exited; waitFor tells
        }
        int exitCode = chain.waitFor(EXIT_TIMEOUT);
        join();
        return exitCode;
    }

    private void endRecord() {
        if (recordOpen) {
            recordOpen = false;
            write(out::writeEndObject);
        }
    }

    private void handOver() {
        try {
            out.flush();
            if (spool.size() > 0) {
                spool.writeTo(toChain);
                spool.reset();
            }
            toChain.flush();
        } catch (IOException e) {
            throw writeFailure(e);
        }
        spooled.forEach((stream, rows) -> {
            handed.merge(stream, rows, Long::sum);
            listener.rowsWritten(stream, rows);
        });
        spooled.clear();
    }

    /** One message into the spool, with its own line. */
    private void write(JsonWrite body) {
        try {
            if (!recordOpen) {
                body.run();
                if (out.getOutputContext().inRoot()) {
                    out.writeRaw('\n');
                }
                return;
            }
            body.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves every state line of the target's stdout as it arrives, until the target closes it. */
    private void readStates() {
        try {
            readStatesToEnd();
        } finally {
            RunningPlugin s = source;
            if (!ended && s != null) {
                log.warn("{} ended before its input did; stopping {}", chain.names().get(chain.names().size() - 1),
                        s.name());
                s.close(); // nothing would read the source's output any more
            }
        }
    }

    private void readStatesToEnd() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(chain.stdout(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Optional<StateBlob> state = normalised(line);
                if (state.isEmpty()) {
                    log.warn("{} wrote a line to stdout that is not a JSON state; state not updated", targetName);
                    continue;
                }
                synchronized (lock) {
                    if (state.equals(confirmed)) {
                        continue; // an unchanged state (e.g. the --state the tap echoed) moves nothing
                    }
                }
                if (options.updateState()) {
                    stateStore.save(stateId, state.get(), mode);
                }
                long rows;
                synchronized (lock) {
                    confirmed = state;
                    committed = rowsAtState.getOrDefault(state.get().json(), committed);
                    rows = committed.values().stream().mapToLong(Long::longValue).sum();
                }
                listener.stateCommitted(state.get(), rows);
                log.info("Saved state for {} confirmed by {}", stateId, targetName);
            }
        } catch (IOException e) {
            if (chain.failedPlugin().isEmpty() && !ended) {
                synchronized (lock) {
                    readFailure = new TargetException("reading the states of target '" + targetName
                            + "' failed: " + e.getMessage(), e);
                }
            }
            // otherwise the chain failed or was stopped; its failure is reported by the run
        } catch (RuntimeException e) {
            synchronized (lock) {
                readFailure = e; // e.g. the state store refused the save
            }
        }
    }

    private void join() {
        try {
            reader.join(EXIT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A state line as stored: compact JSON; Singer states are objects, an Airbyte source's are arrays. */
    private static Optional<StateBlob> normalised(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && (node.isObject() || node.isArray())
                    ? Optional.of(new StateBlob(JSON.writeValueAsString(node))) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    @FunctionalInterface
    private interface JsonWrite {
        void run() throws IOException;
    }
}
