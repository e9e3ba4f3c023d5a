package io.tapline.internal.targets.parquet;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An Arrow stream of exactly one batch: the lent batch's buffers are transferred (zero-copy) into the
 * reader's own root when DuckDB pulls it, so the caller's vectors are empty afterwards.
 */
final class BatchReader extends ArrowReader {
    private final Schema schema;
    private VectorSchemaRoot source;

    BatchReader(BufferAllocator allocator, VectorSchemaRoot source) {
        super(allocator);
        this.source = source;
        this.schema = source.getSchema();
    }

    @Override
    public synchronized boolean loadNextBatch() throws IOException {
        if (source == null) {
            return false;
        }
        VectorSchemaRoot target = getVectorSchemaRoot();
        for (int i = 0; i < source.getFieldVectors().size(); i++) {
            source.getVector(i).makeTransferPair(target.getVector(i)).transfer();
        }
        target.setRowCount(source.getRowCount());
        source = null;
        return true;
    }

    @Override
    public long bytesRead() { return 0; }

    @Override
    protected synchronized void closeReadSource() {
        source = null; // borrowed: the caller closes it
    }

    @Override
    protected Schema readSchema() { return schema; }
}
