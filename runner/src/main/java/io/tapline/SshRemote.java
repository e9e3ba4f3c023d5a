package io.tapline;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Runs a tap on another host over SSH: the tap's {@link Tap#command() command} is a path on that host
 * (e.g. a virtualenv's {@code bin/tap-x} there), its stdout and stderr stream back into the pipeline.
 * The config, catalog and state files go to a private temporary folder on the remote host (0700,
 * files 0600) that is deleted after the run, also when it fails. The tap's
 * {@link Tap#environment() environment} reaches it through a 0600 file in that folder, never on a
 * command line. Immutable.
 *
 * @param endpoint where to log in
 * @param workingDirectory the tap's working directory on the remote host (default: the login's home)
 */
public record SshRemote(SshEndpoint endpoint, Optional<String> workingDirectory) {
    public SshRemote {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(workingDirectory, "workingDirectory is null");
    }

    public static SshRemote of(SshEndpoint endpoint) {
        return new SshRemote(endpoint, Optional.empty());
    }

    public SshRemote withWorkingDirectory(String dir) {
        return new SshRemote(endpoint, Optional.of(dir));
    }
}
