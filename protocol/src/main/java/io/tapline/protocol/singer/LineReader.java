package io.tapline.protocol.singer;

import io.tapline.protocol.ErrorCode;
import io.tapline.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;

/**
 * Splits a byte stream into lines without decoding it, so the JSON parser can run over the raw
 * bytes of each line. One growing buffer is reused; a line longer than the limit is an error rather
 * than an unbounded allocation.
 */
final class LineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buf;
    private int start; // first byte of the next line
    private int limit; // end of valid data in buf
    private boolean eof;
    private long lineNumber;
    private long bytesRead;

    // the current line, valid until the next call to next()
    private int lineStart;
    private int lineLength;

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.buf = new byte[Math.min(1 << 20, Math.max(1024, maxLineBytes))];
    }

    /** Advances to the next line; false at end of input. A final line without newline counts. */
    boolean next() throws IOException {
        int scanFrom = start;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buf[i] == '\n') {
                    lineNumber++;
                    lineStart = start;
                    lineLength = i - start;
                    if (lineLength > 0 && buf[i - 1] == '\r') {
                        lineLength--;
                    }
                    start = i + 1;
                    checkLength(lineLength, lineNumber);
                    return true;
                }
            }
            scanFrom = limit;
            if (eof) {
                if (start < limit) {
                    lineNumber++;
                    lineStart = start;
                    lineLength = limit - start;
                    start = limit;
                    checkLength(lineLength, lineNumber);
                    return true;
                }
                return false;
            }
            int pending = limit - start;
            checkLength(pending - 1, lineNumber + 1); // the incomplete line may still end in \r
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, pending);
                scanFrom -= start;
                start = 0;
                limit = pending;
            }
            if (limit == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) maxLineBytes + 2));
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
                bytesRead += n;
            }
        }
    }

    private void checkLength(int length, long line) {
        if (length > maxLineBytes) {
            throw new ProtocolException(ErrorCode.LINE_TOO_LONG, Optional.empty(), line,
                    "line is longer than the limit of " + maxLineBytes + " bytes");
        }
    }

    byte[] buffer() { return buf; }

    int lineStart() { return lineStart; }

    int lineLength() { return lineLength; }

    long lineNumber() { return lineNumber; }

    long bytesRead() { return bytesRead; }
}
