package io.tapline.spi;


/** A state store could not read or commit state. */
public class StateStoreException extends TaplineException {
    public StateStoreException(String message, Throwable cause) {
        super(ErrorCode.STATE_STORE_FAILED, message, cause);
    }

    public StateStoreException(String message) {
        super(ErrorCode.STATE_STORE_FAILED, message);
    }

    public StateStoreException(ErrorCode code, String message) {
        super(code, message);
    }

    public StateStoreException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
