package io.tapline.internal.protocol;

import io.tapline.spi.StreamName;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * The stream name a parser is on, reused while consecutive messages repeat it: no String per
 * record on the hot path. Not thread-safe; one per parser.
 */
public final class StreamNameCache {
    private StreamName last;

    /** The name of the string token {@code p} is on, or null for an empty one. */
    public StreamName read(JsonParser p) throws IOException {
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        StreamName previous = last;
        if (previous != null && sameChars(previous.value(), chars, off, len)) {
            return previous;
        }
        if (len == 0) {
            return null;
        }
        last = new StreamName(new String(chars, off, len));
        return last;
    }

    /** The last name read, or null. */
    public StreamName last() { return last; }

    /** Whether {@code chars[off, off+len)} spells {@code s}. */
    public static boolean sameChars(String s, char[] chars, int off, int len) {
        if (s.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != chars[off + i]) {
                return false;
            }
        }
        return true;
    }
}
