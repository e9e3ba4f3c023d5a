package io.tapline.internal.runner.process;

import org.zeroturnaround.exec.MessageLoggers;
import org.zeroturnaround.exec.ProcessExecutor;

/** zt-exec executors that never log their command's environment: plugin settings travel there, secrets included. */
final class Processes {
    private Processes() {}

    static ProcessExecutor executor() {
        ProcessExecutor e = new ProcessExecutor();
        e.setMessageLogger(MessageLoggers.NOP); // its "Executing ... with environment {...}" debug line
        return e;
    }
}
