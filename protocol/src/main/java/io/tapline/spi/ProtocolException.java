package io.tapline.spi;


import java.util.Optional;

/** A tap or connector wrote something the protocol does not allow. Names the line and stream. */
public class ProtocolException extends TaplineException {
    private final Optional<StreamName> stream;
    private final long lineNumber;

    public ProtocolException(ErrorCode code, Optional<StreamName> stream, long lineNumber, String message) {
        super(code, "line " + lineNumber + ": " + message);
        this.stream = stream;
        this.lineNumber = lineNumber;
    }

    public ProtocolException(ErrorCode code, Optional<StreamName> stream, long lineNumber, String message,
            Throwable cause) {
        super(code, "line " + lineNumber + ": " + message, cause);
        this.stream = stream;
        this.lineNumber = lineNumber;
    }

    public Optional<StreamName> stream() { return stream; }

    /** 1-based line number of the offending message in the plugin's stdout. */
    public long lineNumber() { return lineNumber; }
}
