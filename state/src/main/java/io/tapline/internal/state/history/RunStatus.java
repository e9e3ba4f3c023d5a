package io.tapline.internal.state.history;

/** How a recorded run stands. */
public enum RunStatus {
    /** Started and not finished, by a process that is still alive. */
    RUNNING,
    SUCCESS,
    FAILED,
    /** Recorded as running by a process that is gone (killed, crashed, machine rebooted). */
    ABANDONED;

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
