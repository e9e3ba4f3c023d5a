package io.tapline.internal.protocol.singer;

import io.tapline.internal.protocol.arrow.RawInput;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.arrow.vector.VarCharVector;

/**
 * Counts the bytes read and keeps those from the start of the current message on, for
 * {@link RawInput}. Old bytes are dropped only when the buffer fills, so the cost is one small
 * move per buffer's worth of input, not one per message.
 */
final class RetainingInputStream extends FilterInputStream implements RawInput {
    private byte[] buf = new byte[1 << 20];
    private long base; // input offset of buf[0]
    private int size;
    private long keepFrom;
    private int last = -1;

    RetainingInputStream(InputStream in) {
        super(in);
    }

    /** Bytes before {@code offset} are no longer needed. */
    void keepFrom(long offset) {
        keepFrom = offset;
    }

    long count() { return base + size; }

    boolean endsWithNewline() { return last == '\n'; }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            ensureRoom(1);
            buf[size++] = (byte) b;
            last = b;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            ensureRoom(n);
            System.arraycopy(b, off, buf, size, n);
            size += n;
            last = b[off + n - 1];
        }
        return n;
    }

    @Override
    public void copy(long from, long to, VarCharVector vector, int row) {
        if (from < base || to > base + size || from > to) {
            throw new IllegalStateException("bytes " + from + ".." + to + " are no longer retained");
        }
        vector.setSafe(row, buf, (int) (from - base), (int) (to - from));
    }

    private void ensureRoom(int n) {
        if (size + n <= buf.length) {
            return;
        }
        int drop = (int) Math.max(0, Math.min(size, keepFrom - base));
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, size - drop);
            size -= drop;
            base += drop;
        }
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
