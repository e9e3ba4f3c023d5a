package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.singer.BatchMessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the files a Singer SDK BATCH message lists as if their records had come as RECORD messages:
 * {@code jsonl} (one record object per line, gzip or uncompressed) and {@code parquet} (read with DuckDB, one JSON
 * object per row). {@code file://} URIs only. A bad file fails the run naming the BATCH line, the file and the
 * record's line in it.
 */
final class BatchFiles {
    private static final Logger log = LoggerFactory.getLogger(BatchFiles.class);

    /** Where the records of a batch file go: the same path a RECORD takes. */
    interface RecordSink {
        void record(StreamName stream, JsonParser record, long lineNumber) throws IOException;
    }

    private final JsonFactory json = new JsonFactory();

    void load(BatchMessage message, long lineNumber, RecordSink sink) {
        for (URI uri : message.manifest()) {
            Path file = localFile(message, uri, lineNumber);
            long records;
            try {
                records = switch (message.format().toLowerCase(Locale.ROOT)) {
                    case "jsonl" -> jsonl(message, file, lineNumber, sink);
                    case "parquet" -> parquet(message, file, lineNumber, sink);
                    default -> throw fail(message, lineNumber, "BATCH format '" + message.format()
                            + "' is not supported (jsonl or parquet)");
                };
            } catch (NoSuchFileException e) {
                throw fail(message, lineNumber, "BATCH file " + file + " does not exist");
            } catch (IOException e) {
                throw fail(message, lineNumber, "cannot read BATCH file " + file + ": " + e.getMessage());
            }
            log.info("Stream {}: loaded {} records from BATCH file {}", message.stream(), records, file);
        }
    }

    private long jsonl(BatchMessage message, Path file, long lineNumber, RecordSink sink) throws IOException {
        String compression = message.compression().orElse("none").toLowerCase(Locale.ROOT);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             InputStream in = switch (compression) {
                 case "gzip" -> GzipCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true).get();
                 case "none", "" -> raw;
                 default -> throw fail(message, lineNumber, "BATCH compression '" + compression
                         + "' is not supported (gzip or none)");
             };
             JsonParser p = json.createParser(in)) {
            long n = 0;
            JsonToken t;
            while ((t = nextToken(p, message, file, lineNumber)) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw fail(message, lineNumber, "BATCH file " + file + " line " + p.currentLocation().getLineNr()
                            + ": expected a JSON object per line");
                }
                sink.record(message.stream(), p, lineNumber);
                n++;
            }
            return n;
        }
    }

    private long parquet(BatchMessage message, Path file, long lineNumber, RecordSink sink) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement ps = c.prepareStatement("SELECT to_json(t)::VARCHAR FROM read_parquet(?) t")) {
            ps.setString(1, file.toString());
            long n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try (JsonParser p = json.createParser(new StringReader(rs.getString(1)))) {
                        p.nextToken();
                        sink.record(message.stream(), p, lineNumber);
                    }
                    n++;
                }
            }
            return n;
        } catch (SQLException e) {
            throw fail(message, lineNumber, "cannot read Parquet BATCH file " + file + ": " + e.getMessage());
        }
    }

    private JsonToken nextToken(JsonParser p, BatchMessage message, Path file, long lineNumber) throws IOException {
        try {
            return p.nextToken();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw fail(message, lineNumber, "BATCH file " + file + " line " + p.currentLocation().getLineNr()
                    + ": invalid JSON");
        }
    }

    private static Path localFile(BatchMessage message, URI uri, long lineNumber) {
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw fail(message, lineNumber, "BATCH manifest entry '" + uri.getScheme()
                    + ":' is not supported; only file:// URIs are");
        }
        return Path.of(uri);
    }

    private static ProtocolException fail(BatchMessage message, long lineNumber, String text) {
        return new ProtocolException(ErrorCode.INVALID_MESSAGE, Optional.of(message.stream()), lineNumber,
                "stream '" + message.stream() + "': " + text);
    }
}
