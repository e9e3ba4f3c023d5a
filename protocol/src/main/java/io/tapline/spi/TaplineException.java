package io.tapline.spi;


import static java.util.Objects.requireNonNull;

/**
 * Root of every error tapline raises on purpose. Messages name the place (plugin, stream, line,
 * setting) and never carry config values or record data.
 */
public class TaplineException extends RuntimeException {
    private final ErrorCode errorCode;

    public TaplineException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public TaplineException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public ErrorCode errorCode() { return errorCode; }

    /** True when running the same thing again, from the last committed state, may succeed. */
    public boolean isRetriable() { return false; }
}
