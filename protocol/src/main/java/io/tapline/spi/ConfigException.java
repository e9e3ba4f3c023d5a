package io.tapline.spi;


/** The project file, a setting or an API argument is wrong or missing. */
public class ConfigException extends TaplineException {
    public ConfigException(String message) {
        super(ErrorCode.CONFIG_INVALID, message);
    }

    public ConfigException(ErrorCode code, String message) {
        super(code, message);
    }

    public ConfigException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    public ConfigException(String message, Throwable cause) {
        super(ErrorCode.CONFIG_INVALID, message, cause);
    }
}
