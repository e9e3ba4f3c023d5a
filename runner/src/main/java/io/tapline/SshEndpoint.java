package io.tapline;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ConfigException;
import io.tapline.spi.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * An SSH server tapline logs in to: the host that runs a remote tap ({@link SshRemote}) or the bastion
 * of a tunnel ({@link SshTunnel}). Public-key authentication only: a key file, or the keys of the
 * running ssh-agent ({@code SSH_AUTH_SOCK}). The server's host key must be in {@link #knownHosts()}
 * unless {@link HostKeyChecking#OFF} is chosen explicitly. Immutable; build with {@link #builder(String)}.
 *
 * @param host host name or address
 * @param port SSH port (default 22)
 * @param user login name (default: the local user)
 * @param identityFile private key file (OpenSSH or PEM format); empty means the ssh-agent
 * @param passphrase the key file's passphrase, if it has one
 * @param knownHosts OpenSSH {@code known_hosts} file (default {@code ~/.ssh/known_hosts})
 * @param hostKeyChecking whether an unknown or changed host key is refused (default: refused)
 * @param connectTimeout how long connecting and logging in may take
 */
public record SshEndpoint(String host, int port, String user, Optional<Path> identityFile, Optional<Secret> passphrase,
        Path knownHosts, HostKeyChecking hostKeyChecking, Duration connectTimeout) {

    /** What to do with the server's host key. */
    public enum HostKeyChecking {
        /** The key must be in the known-hosts file; an unknown or changed key is refused (OpenSSH {@code yes}). */
        STRICT,
        /** Any key is accepted: only for throwaway hosts on a trusted network (OpenSSH {@code no}). */
        OFF
    }

    public SshEndpoint {
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(identityFile, "identityFile is null");
        requireNonNull(passphrase, "passphrase is null");
        requireNonNull(knownHosts, "knownHosts is null");
        requireNonNull(hostKeyChecking, "hostKeyChecking is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        if (host.isBlank()) {
            throw new ConfigException("ssh host is blank");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("ssh port " + port + " of host '" + host + "' is not between 1 and 65535");
        }
        if (user.isBlank()) {
            throw new ConfigException("ssh user for host '" + host + "' is blank");
        }
    }

    public static Builder builder(String host) { return new Builder(host); }

    /** {@code user@host:port}, for logs and error messages (never a key or passphrase). */
    public String describe() {
        return user + "@" + host + ":" + port;
    }

    /** Builds an {@link SshEndpoint}; not thread-safe. */
    public static final class Builder {
        private final String host;
        private int port = 22;
        private String user = System.getProperty("user.name");
        private Optional<Path> identityFile = Optional.empty();
        private Optional<Secret> passphrase = Optional.empty();
        private Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        private HostKeyChecking hostKeyChecking = HostKeyChecking.STRICT;
        private Duration connectTimeout = Duration.ofSeconds(30);

        private Builder(String host) {
            this.host = requireNonNull(host, "host is null");
        }

        public Builder port(int port) { this.port = port; return this; }

        public Builder user(String user) { this.user = requireNonNull(user, "user is null"); return this; }

        /** Logs in with this key; without one tapline asks the ssh-agent at {@code SSH_AUTH_SOCK}. */
        public Builder identityFile(Path key) { this.identityFile = Optional.of(key); return this; }

        public Builder passphrase(Secret passphrase) { this.passphrase = Optional.of(passphrase); return this; }

        public Builder knownHosts(Path file) { this.knownHosts = requireNonNull(file, "file is null"); return this; }

        public Builder hostKeyChecking(HostKeyChecking checking) {
            this.hostKeyChecking = requireNonNull(checking, "checking is null");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requireNonNull(timeout, "timeout is null");
            return this;
        }

        public SshEndpoint build() {
            return new SshEndpoint(host, port, user, identityFile, passphrase, knownHosts, hostKeyChecking,
                    connectTimeout);
        }
    }
}
