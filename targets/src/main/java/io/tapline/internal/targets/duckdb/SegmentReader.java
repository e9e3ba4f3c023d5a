package io.tapline.internal.targets.duckdb;

import io.tapline.spi.StreamSchema;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An Arrow stream over consecutive queued batches of one stream schema. DuckDB pulls it from its own
 * threads; it ends at the first queued item that is not such a batch (a flush, another stream, a
 * changed schema), which the writer then handles.
 */
final class SegmentReader extends ArrowReader {
    private final BlockingQueue<WriterItem> queue;
    private final Schema schema;
    private final StreamSchema streamSchema;
    private WriterItem.Batch first;
    private WriterItem terminator;
    private boolean done;
    private long rows;

    SegmentReader(BufferAllocator allocator, WriterItem.Batch first, BlockingQueue<WriterItem> queue) {
        super(allocator);
        this.first = first;
        this.queue = queue;
        this.schema = first.root().getSchema();
        this.streamSchema = first.schema();
    }

    @Override
    public synchronized boolean loadNextBatch() throws IOException {
        WriterItem.Batch next;
        if (first != null) {
            next = first;
            first = null;
        } else if (done) {
            return false;
        } else {
            WriterItem item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the next batch", e);
            }
            if (item instanceof WriterItem.Batch b && b.schema() == streamSchema) {
                next = b;
            } else {
                terminator = item;
                done = true;
                return false;
            }
        }
        VectorSchemaRoot target = getVectorSchemaRoot();
        try (VectorSchemaRoot source = next.root()) {
            for (int i = 0; i < source.getFieldVectors().size(); i++) {
                source.getVector(i).makeTransferPair(target.getVector(i)).transfer();
            }
            target.setRowCount(source.getRowCount());
            rows += source.getRowCount();
        }
        return true;
    }

    StreamSchema streamSchema() { return streamSchema; }

    /** The item that ended the segment, or null if it has not ended. */
    synchronized WriterItem terminator() { return terminator; }

    synchronized long rowsLoaded() { return rows; }

    @Override
    public long bytesRead() { return 0; }

    @Override
    protected synchronized void closeReadSource() {
        if (first != null) {
            first.root().close();
            first = null;
        }
    }

    @Override
    protected Schema readSchema() { return schema; }
}
