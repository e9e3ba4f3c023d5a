package io.tapline.internal.targets.duckdb;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.TargetException;
import io.tapline.spi.RecordHandling;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.Target;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DuckDB target: one table per stream, loaded through DuckDB's Arrow interface.
 *
 * <p>Batches are queued (bounded, so memory is too) to one writer thread that owns the connection.
 * Consecutive batches of one stream become a single Arrow stream that DuckDB pulls while the
 * pipeline keeps parsing, so parsing and inserting overlap. Everything between two {@link #flush()}
 * calls is one DuckDB transaction: a crash before the commit loses it all, and state is only
 * committed after it. Streams with key properties are upserted: last record per key wins.
 */
public final class DuckDbTarget implements Target {
    private static final Logger log = LoggerFactory.getLogger(DuckDbTarget.class);

    private final DuckDbTargetConfig config;
    private final BufferAllocator allocator;
    private final BlockingQueue<WriterItem> queue;
    private final Thread writerThread;
    private final DuckDbWriter writer;
    private boolean closed;

    private DuckDbTarget(DuckDbTargetConfig config, BufferAllocator parentAllocator) {
        this.config = config;
        this.allocator = parentAllocator.newChildAllocator("duckdb-target", 0, Long.MAX_VALUE);
        this.queue = new ArrayBlockingQueue<>(config.queuedBatches());
        DuckDBConnection connection = null;
        try {
            connection = connect(config);
            this.writer = new DuckDbWriter(connection, config, allocator, queue);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            allocator.close();
            throw new TargetException("could not open DuckDB database " + config.describeLocation(), e);
        }
        this.writerThread = new Thread(writer, "tapline-duckdb-writer");
        this.writerThread.setDaemon(true);
        this.writerThread.start();
    }

    /** Opens (creating if needed) the database described by {@code config}. */
    public static DuckDbTarget open(DuckDbTargetConfig config, BufferAllocator allocator) {
        return new DuckDbTarget(requireNonNull(config, "config is null"), requireNonNull(allocator, "allocator is null"));
    }

    /** A config builder for a database file. */
    public static DuckDbTargetConfig.Builder file(Path path) {
        return DuckDbTargetConfig.builder().path(path);
    }

    public DuckDbTargetConfig config() { return config; }

    @Override
    public RecordHandling recordHandling() { return config.effectiveRecords(); }

    @Override
    public void activateVersion(StreamSchema schema, long version) {
        enqueue(new WriterItem.ActivateVersion(schema, version));
    }

    @Override
    public void open(StreamSchema schema) {
        enqueue(new WriterItem.Open(schema));
    }

    @Override
    public void write(StreamSchema schema, VectorSchemaRoot batch) {
        if (batch.getRowCount() == 0) {
            return;
        }
        // zero-copy: the buffers move to a root the writer owns; the caller's vectors become empty
        VectorSchemaRoot owned = VectorSchemaRoot.create(batch.getSchema(), allocator);
        for (int i = 0; i < batch.getFieldVectors().size(); i++) {
            batch.getVector(i).makeTransferPair(owned.getVector(i)).transfer();
        }
        owned.setRowCount(batch.getRowCount());
        try {
            enqueue(new WriterItem.Batch(schema, owned));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    @Override
    public void flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new WriterItem.Flush(done));
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted while DuckDB was committing");
        } catch (ExecutionException e) {
            throw asTargetException(e.getCause());
        }
    }

    /** Rolls back the open transaction (everything since the last flush) and releases the target. Idempotent; {@link #close()} after it does nothing more. */
    @Override
    public void abort() {
        close(); // close() already discards what no flush made durable; abort names that intent
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // anything not flushed is rolled back: it was never claimed durable
            putUninterruptibly(new WriterItem.Close());
            writerThread.join(TimeUnit.MINUTES.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (writerThread.isAlive()) {
                log.warn("DuckDB writer did not stop in time; closing its connection");
            }
            writer.closeConnection();
            queue.forEach(WriterItem::release);
            queue.clear();
            allocator.close();
        }
    }

    /** Queues {@code item}; when this throws, the item was not queued and still belongs to the caller. */
    private void enqueue(WriterItem item) {
        if (closed) {
            throw new IllegalStateException("target is closed");
        }
        rethrowWriterFailure();
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                rethrowWriterFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetException("interrupted while queueing a batch for DuckDB");
        }
    }

    private void rethrowWriterFailure() {
        Optional<Throwable> failure = writer.failure();
        if (failure.isPresent()) {
            throw asTargetException(failure.get());
        }
    }

    private void putUninterruptibly(WriterItem item) throws InterruptedException {
        queue.put(item);
    }

    private static TargetException asTargetException(Throwable t) {
        if (t instanceof TargetException te) {
            return te;
        }
        return new TargetException("DuckDB write failed: " + t.getMessage(), t);
    }

    private static DuckDBConnection connect(DuckDbTargetConfig config) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:" + config.path().map(Path::toString).orElse(""));
        DuckDBConnection conn = c.unwrap(DuckDBConnection.class);
        try (Statement st = conn.createStatement()) {
            if (config.memoryLimit().isPresent()) {
                st.execute("SET memory_limit = '" + config.memoryLimit().get().replace("'", "") + "'");
            }
            if (config.threads().isPresent()) {
                st.execute("SET threads = " + config.threads().getAsInt());
            }
        }
        conn.setAutoCommit(false);
        return conn;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }
}
