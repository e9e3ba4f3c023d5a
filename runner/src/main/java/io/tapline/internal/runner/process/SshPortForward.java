package io.tapline.internal.runner.process;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.tapline.SshTunnel;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open {@link SshTunnel}: {@code 127.0.0.1:}{@link #localPort()} forwarded through the bastion to the
 * tunnel's target, until closed. Listens on loopback only. Closing is idempotent.
 */
public final class SshPortForward implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshPortForward.class);

    private final Session session;
    private final int localPort;

    private SshPortForward(Session session, int localPort) {
        this.session = session;
        this.localPort = localPort;
    }

    /** Logs in to the bastion and starts listening; {@code purpose} is named in errors. */
    public static SshPortForward open(SshTunnel tunnel, String purpose) {
        Session session = SshSessions.connect(tunnel.bastion(), "tunnel for " + purpose);
        try {
            int port = session.setPortForwardingL("127.0.0.1", tunnel.localPort(), tunnel.targetHost(),
                    tunnel.targetPort());
            log.info("Tunnel for {}: 127.0.0.1:{} -> {}:{} through {}", purpose, port, tunnel.targetHost(),
                    tunnel.targetPort(), tunnel.bastion().describe());
            return new SshPortForward(session, port);
        } catch (JSchException e) {
            session.disconnect();
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, purpose, "could not open the SSH tunnel for "
                    + purpose + " through " + tunnel.bastion().describe() + " to " + tunnel.targetHost() + ":"
                    + tunnel.targetPort() + ": " + e.getMessage(), e);
        }
    }

    /** The loopback port that leads to the target. */
    public int localPort() { return localPort; }

    @Override
    public void close() {
        session.disconnect(); // also stops the listener
    }
}
