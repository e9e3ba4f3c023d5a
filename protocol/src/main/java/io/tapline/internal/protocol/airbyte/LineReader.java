package io.tapline.internal.protocol.airbyte;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Splits a byte stream into lines in one reused buffer, without decoding: {@code \n} ends a line, a
 * {@code \r} before it is dropped, and a last line without {@code \n} still counts. The buffer starts
 * small and grows to hold the longest line, up to the limit. Not thread-safe.
 */
final class LineReader {
    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buf;
    private int start; // first byte of the current (unfinished) line
    private int scan; // where the search for '\n' resumes
    private int end; // end of the bytes read so far
    private boolean eof;
    private long lineNumber;
    private long bytesRead;
    private int lineStart;
    private int lineLength;

    LineReader(InputStream in, int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes out of range: " + maxLineBytes);
        }
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.buf = new byte[Math.min(INITIAL_BUFFER, maxLineBytes + 2)];
    }

    /**
     * Advances to the next line; false at the end of the stream. Blocks while the stream does.
     *
     * @throws ProtocolException {@link ErrorCode#LINE_TOO_LONG} as soon as a line passes the limit
     */
    boolean next() throws IOException {
        while (true) {
            int nl = indexOfNewline(buf, scan, end);
            if (nl >= 0) {
                int length = nl - start;
                if (length > 0 && buf[nl - 1] == '\r') {
                    length--;
                }
                return take(start, length, nl + 1);
            }
            scan = end;
            if (end - start > maxLineBytes + 1) { // + 1: room for a '\r' before the '\n'
                throw tooLong(lineNumber + 1);
            }
            if (eof) {
                return start < end && take(start, end - start, end);
            }
            fill();
        }
    }

    private boolean take(int from, int length, int next) {
        lineNumber++;
        if (length > maxLineBytes) {
            throw tooLong(lineNumber);
        }
        lineStart = from;
        lineLength = length;
        start = next;
        scan = next;
        return true;
    }

    private void fill() throws IOException {
        if (end == buf.length) {
            if (start > 0) { // move the unfinished line to the front
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                scan -= start;
                start = 0;
            } else {
                int grown = (int) Math.min((long) buf.length * 2, (long) maxLineBytes + 2);
                byte[] bigger = new byte[grown];
                System.arraycopy(buf, 0, bigger, 0, end);
                buf = bigger;
            }
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
            bytesRead += n;
        }
    }

    private ProtocolException tooLong(long line) {
        return new ProtocolException(ErrorCode.LINE_TOO_LONG, Optional.empty(), line,
                "line is longer than the limit of " + maxLineBytes + " bytes");
    }

    /** The first {@code \n} in {@code b[from, to)}, eight bytes at a time; -1 if none. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            // a byte of x is zero where b has '\n'; the lowest such byte sets the lowest flag exactly
            long zeros = (x - ONES) & ~x & HIGH_BITS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A line's first {@code maxChars} chars, decoded as UTF-8, never ending in half a surrogate pair. */
    static String excerpt(byte[] buf, int off, int len, int maxChars) {
        // 4 bytes never make more than 2 chars, so 4 bytes per char is enough to fill the excerpt
        String text = new String(buf, off, (int) Math.min(len, maxChars * 4L), StandardCharsets.UTF_8);
        if (text.length() <= maxChars) {
            return text;
        }
        int cut = maxChars;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut);
    }

    /** The buffer holding the current line; valid until the next {@link #next()}. */
    byte[] buffer() { return buf; }

    int lineStart() { return lineStart; }

    /** Bytes in the current line, without its {@code \n} or {@code \r\n}. */
    int lineLength() { return lineLength; }

    /** 1-based number of the current line. */
    long lineNumber() { return lineNumber; }

    long bytesRead() { return bytesRead; }
}
