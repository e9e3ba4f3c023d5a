package io.tapline.internal.protocol.arrow;

import org.apache.arrow.vector.VarCharVector;

/**
 * The bytes a parser is reading, kept from the start of the current message, so a nested JSON
 * value can be copied into a column verbatim instead of being re-serialised token by token.
 */
public interface RawInput {
    /** Copies the input bytes {@code [from, to)} (offsets in the whole input) into {@code row}. */
    void copy(long from, long to, VarCharVector vector, int row);
}
