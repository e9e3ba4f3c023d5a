package io.tapline.spi;


import static java.util.Objects.requireNonNull;

/** A sensitive value. Its {@code toString} never shows it, so it cannot leak into a log line by accident. */
public record Secret(String value) {
    public Secret {
        requireNonNull(value, "value is null");
    }

    @Override
    public String toString() { return "****"; }
}
