package io.tapline.spi;


/** A target could not write or commit. Nothing after the last committed state is claimed written. */
public class TargetException extends TaplineException {
    public TargetException(String message, Throwable cause) {
        super(ErrorCode.TARGET_FAILED, message, cause);
    }

    public TargetException(String message) {
        super(ErrorCode.TARGET_FAILED, message);
    }
}
