package io.tapline.spi;


import static java.util.Objects.requireNonNull;

/**
 * A tap's state as compact JSON text: the {@code value} of a Singer STATE message. Opaque to the
 * runner, which stores it and hands it back to the tap on the next run.
 */
public record StateBlob(String json) {
    public StateBlob {
        requireNonNull(json, "json is null");
    }

    @Override
    public String toString() { return json; }
}
