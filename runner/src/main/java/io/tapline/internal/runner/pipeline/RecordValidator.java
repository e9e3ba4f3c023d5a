package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StreamName;
import io.tapline.spi.RecordHandling;
import io.tapline.internal.protocol.singer.SchemaMessage;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks RECORDs against their stream's JSON Schema with the networknt validator (draft 7 unless the schema names
 * another), for the {@code warn} and {@code strict} validation modes. With validation off the run loops never build
 * one, so the streaming record path stays as it is; with it on, each record is read into a tree once, validated, and
 * loaded from that tree.
 */
final class RecordValidator {
    private static final Logger log = LoggerFactory.getLogger(RecordValidator.class);
    private static final int WARNINGS_LOGGED = 20;

    private final RecordHandling.Validation mode;
    private final ObjectMapper mapper;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private final Map<StreamName, Schema> schemas = new HashMap<>();
    private final Map<StreamName, long[]> recordNumbers = new HashMap<>();
    private long invalid;

    /** A validator for {@code mode}, or empty when validation is off. */
    static Optional<RecordValidator> forMode(RecordHandling.Validation mode, ObjectMapper mapper) {
        return mode == RecordHandling.Validation.OFF ? Optional.empty() : Optional.of(new RecordValidator(mode, mapper));
    }

    private RecordValidator(RecordHandling.Validation mode, ObjectMapper mapper) {
        this.mode = mode;
        this.mapper = mapper;
    }

    void schema(SchemaMessage message, long lineNumber) {
        try {
            schemas.put(message.stream(), registry.getSchema(mapper.writeValueAsString(message.schema().node()),
                    InputFormat.JSON));
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException(ErrorCode.INVALID_SCHEMA, Optional.of(message.stream()), lineNumber,
                    "SCHEMA for stream '" + message.stream() + "' is not a usable JSON Schema: " + e.getMessage());
        }
    }

    /**
     * Reads the record {@code p} is on, checks it, and returns it as a tree: strict mode throws for a record that
     * breaks its schema; the warn modes log it (the first {@value #WARNINGS_LOGGED}) and count it, then warn returns
     * it and warn-skip returns null (not to be loaded).
     */
    JsonNode check(StreamName stream, JsonParser p, long lineNumber) throws IOException {
        JsonNode record = mapper.readTree(p);
        long number = ++recordNumbers.computeIfAbsent(stream, s -> new long[1])[0];
        Schema schema = schemas.get(stream);
        if (schema == null) {
            return record;
        }
        List<Error> errors = schema.validate(mapper.writeValueAsString(record), InputFormat.JSON);
        if (errors.isEmpty()) {
            return record;
        }
        String problem = describe(stream, number, errors.get(0));
        if (mode == RecordHandling.Validation.STRICT) {
            throw new ProtocolException(ErrorCode.RECORD_BREAKS_SCHEMA, Optional.of(stream), lineNumber, problem);
        }
        boolean skip = mode == RecordHandling.Validation.WARN_SKIP;
        if (invalid++ < WARNINGS_LOGGED) {
            log.warn("line {}: {} ({})", lineNumber, problem, skip ? "skipped: validation is warn-skip"
                    : "loaded anyway: validation is warn");
        }
        return skip ? null : record;
    }

    /** Records that broke their schema in the warn modes. */
    long invalidRecords() { return invalid; }

    /** Stream, record number, field and rule; never the value (it may be a secret). */
    private static String describe(StreamName stream, long number, Error error) {
        String at = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        String field = error.getProperty() != null ? joinField(at, error.getProperty()) : at;
        return "record " + number + " of stream '" + stream + "' breaks its schema: field '"
                + (field.isEmpty() || field.equals("$") ? "(record)" : field) + "', rule '" + error.getKeyword() + "'";
    }

    private static String joinField(String at, String property) {
        return at.isEmpty() || at.equals("$") ? property : at + "." + property;
    }
}
