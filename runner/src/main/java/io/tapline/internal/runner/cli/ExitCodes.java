package io.tapline.internal.runner.cli;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.TaplineException;
import picocli.CommandLine;

/**
 * The CLI's one mapping from a failure to an exit code: a {@link TaplineException} exits with its
 * {@link ErrorCode#exitCode()}, a usage error (bad or missing argument) with {@link #USAGE}, anything
 * else with {@link #SOFTWARE}.
 */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
    /** A command line tapline cannot parse; the same code as a configuration error. */
    static final int USAGE = 2;
    /** A failure tapline has no error code for. */
    static final int SOFTWARE = 1;

    @Override
    public int getExitCode(Throwable failure) {
        if (failure instanceof TaplineException e) {
            return e.errorCode().exitCode();
        }
        if (failure instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        return SOFTWARE;
    }
}
