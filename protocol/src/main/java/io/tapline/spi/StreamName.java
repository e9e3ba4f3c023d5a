package io.tapline.spi;


import static java.util.Objects.requireNonNull;

/** A stream's name as the tap spells it (Singer {@code stream}, Airbyte {@code stream.name}). */
public record StreamName(String value) {
    public StreamName {
        requireNonNull(value, "value is null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("stream name is empty");
        }
    }

    public static StreamName of(String value) { return new StreamName(value); }

    @Override
    public String toString() { return value; }
}
