package io.tapline.internal.runner.process;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import io.tapline.SshEndpoint;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Opens jsch sessions the way tapline's SSH options say (public key from a file or the ssh-agent,
 * host key checked against a known-hosts file) and runs short helper commands on them. A fresh
 * {@link JSch} per session: no shared static configuration.
 */
public final class SshSessions {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private SshSessions() {}

    /**
     * Connects and logs in to {@code endpoint}.
     *
     * @param purpose what the session is for, named in errors (e.g. "tap 'tap-x'")
     * @throws ConfigException with {@code SSH_HOST_KEY_REJECTED} when the host key is unknown or changed
     * @throws PluginFailedException when the host cannot be reached or refuses the login
     */
    public static Session connect(SshEndpoint endpoint, String purpose) {
        JSch jsch = new JSch();
        jsch.setInstanceLogger(new JschLog());
        String where = endpoint.describe();
        try {
            if (endpoint.identityFile().isPresent()) {
                var key = endpoint.identityFile().get();
                if (!Files.isReadable(key)) {
                    throw new ConfigException(ErrorCode.CONFIG_INVALID, "ssh key file " + key + " for " + where
                            + " (" + purpose + ") does not exist or is not readable");
                }
                jsch.addIdentity(key.toString(), endpoint.passphrase()
                        .map(p -> p.value().getBytes(StandardCharsets.UTF_8)).orElse(null));
            } else {
                jsch.setIdentityRepository(agent(where, purpose));
            }
            boolean strict = endpoint.hostKeyChecking() == SshEndpoint.HostKeyChecking.STRICT;
            if (strict) {
                if (!Files.isRegularFile(endpoint.knownHosts())) {
                    throw new ConfigException(ErrorCode.SSH_HOST_KEY_REJECTED, "cannot check the host key of " + where
                            + " (" + purpose + "): known-hosts file " + endpoint.knownHosts() + " does not exist; add "
                            + "the host with `ssh-keyscan -p " + endpoint.port() + " " + endpoint.host() + " >> "
                            + endpoint.knownHosts() + "` after checking its fingerprint");
                }
                jsch.setKnownHosts(endpoint.knownHosts().toString());
            }
            Session session = jsch.getSession(endpoint.user(), endpoint.host(), endpoint.port());
            session.setConfig("StrictHostKeyChecking", strict ? "yes" : "no");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setServerAliveInterval(15_000);
            session.setServerAliveCountMax(4);
            session.connect((int) endpoint.connectTimeout().toMillis());
            return session;
        } catch (JSchChangedHostKeyException e) {
            throw new ConfigException(ErrorCode.SSH_HOST_KEY_REJECTED, "the host key of " + where + " (" + purpose
                    + ") does not match the one in " + endpoint.knownHosts() + ": refusing to connect. If the host was "
                    + "really re-keyed, remove its old entry (`ssh-keygen -R` ...) and add the new one after checking "
                    + "its fingerprint", e);
        } catch (JSchUnknownHostKeyException e) {
            throw new ConfigException(ErrorCode.SSH_HOST_KEY_REJECTED, "the host key of " + where + " (" + purpose
                    + ") is not in " + endpoint.knownHosts() + ": refusing to connect. Add it (e.g. `ssh-keyscan -p "
                    + endpoint.port() + " " + endpoint.host() + "`) after checking its fingerprint", e);
        } catch (JSchException e) {
            String cause = e.getMessage() != null && e.getMessage().startsWith("Auth")
                    ? "login refused (public key not accepted for user '" + endpoint.user() + "')"
                    : String.valueOf(e.getMessage());
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, purpose,
                    "could not open an SSH session to " + where + " for " + purpose + ": " + cause, e);
        }
    }

    private static AgentIdentityRepository agent(String where, String purpose) {
        try {
            return new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory()));
        } catch (AgentProxyException e) {
            throw new ConfigException(ErrorCode.CONFIG_INVALID, "no ssh key file given for " + where + " (" + purpose
                    + ") and no ssh-agent reachable (SSH_AUTH_SOCK): " + e.getMessage(), e);
        }
    }

    /** Result of a helper command: exit code, its stdout, and its stderr (for messages). */
    record Result(int exitCode, String output, String errors) {
        /** What to show when it failed. */
        String describe() {
            return (errors.strip() + " " + output.strip()).strip();
        }
    }

    /**
     * Runs {@code command} through the remote login shell, feeding it {@code stdin}, and waits for it.
     * For short helper commands only: output is collected in memory.
     */
    static Result exec(Session session, String command, byte[] stdin) {
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            channel.setErrStream(err, true); // login banners and server debug lines land here, not in the output
            InputStream in = channel.getInputStream();
            OutputStream stdinStream = channel.getOutputStream();
            channel.connect((int) COMMAND_TIMEOUT.toMillis());
            stdinStream.write(stdin);
            stdinStream.close(); // EOF for the command
            in.transferTo(out);
            long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
            while (!channel.isClosed()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("remote command did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(10); // jsch has no exit callback; the channel closes right after EOF
            }
            return new Result(channel.getExitStatus(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (JSchException | IOException e) {
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, "ssh",
                    "remote command on " + session.getHost() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginFailedException(ErrorCode.INTERRUPTED, "ssh", "interrupted running a remote command", e);
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    /** {@code s} as one POSIX shell word. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
