package io.tapline.spi;


/**
 * Stable error codes. The number never changes once published; the kind says whose fault it is and
 * the exit code is what the CLI returns for it.
 */
public enum ErrorCode {
    // USER: bad input, bad configuration
    CONFIG_INVALID(100, Kind.USER, 2),
    CONFIG_MISSING_VALUE(101, Kind.USER, 2),
    PROJECT_FILE_INVALID(102, Kind.USER, 2),
    PLUGIN_UNKNOWN(103, Kind.USER, 2),
    SSH_HOST_KEY_REJECTED(104, Kind.USER, 2),
    /** The plugin has no executable here: no pip_url, not on PATH, not a file, not in the catalog. */
    PLUGIN_EXECUTABLE_MISSING(105, Kind.USER, 2),

    // PLUGIN: the tap or connector broke the protocol or failed
    INVALID_JSON(200, Kind.PLUGIN, 3),
    MESSAGE_WITHOUT_TYPE(201, Kind.PLUGIN, 3),
    RECORD_BEFORE_SCHEMA(202, Kind.PLUGIN, 3),
    RECORD_BREAKS_SCHEMA(203, Kind.PLUGIN, 3),
    RECORD_MISSING_KEY(204, Kind.PLUGIN, 3),
    INVALID_MESSAGE(205, Kind.PLUGIN, 3),
    LINE_TOO_LONG(206, Kind.PLUGIN, 3),
    INVALID_SCHEMA(207, Kind.PLUGIN, 3),
    PLUGIN_FAILED(210, Kind.PLUGIN, 4),
    /** pip could not install the plugin: almost always a wrong pip_url or python, so the user's to fix. */
    PLUGIN_INSTALL_FAILED(211, Kind.USER, 2),
    PLUGIN_TIMEOUT(212, Kind.PLUGIN, 4),
    RECORD_FOR_UNCONFIGURED_STREAM(213, Kind.PLUGIN, 3),
    STATE_FOR_UNCONFIGURED_STREAM(214, Kind.PLUGIN, 3),

    // INTERNAL: targets, state stores, tapline itself
    TARGET_FAILED(300, Kind.INTERNAL, 5),
    STATE_STORE_FAILED(301, Kind.INTERNAL, 5),
    STATE_LOCKED(303, Kind.USER, 6),
    /** A state backend cannot be reached or refuses the credentials. */
    STATE_BACKEND_UNAVAILABLE(304, Kind.INTERNAL, 5),
    /** A run's lease on its state id expired or was taken over; it must not write state any more. */
    STATE_LEASE_LOST(305, Kind.INTERNAL, 5),
    INTERRUPTED(302, Kind.INTERNAL, 130),
    INTERNAL(399, Kind.INTERNAL, 1);

    /** Whose fault an error is. */
    public enum Kind { USER, PLUGIN, INTERNAL }

    private final int code;
    private final Kind kind;
    private final int exitCode;

    ErrorCode(int code, Kind kind, int exitCode) {
        this.code = code;
        this.kind = kind;
        this.exitCode = exitCode;
    }

    public int code() { return code; }

    public Kind kind() { return kind; }

    public int exitCode() { return exitCode; }
}
