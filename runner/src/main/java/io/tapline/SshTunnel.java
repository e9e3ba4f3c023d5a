package io.tapline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.spi.ConfigException;
import java.util.Optional;

/**
 * A local port forwarded through a bastion for the length of a run (and of its discovery), for a tap
 * whose source is reachable only from the bastion: {@code 127.0.0.1:<localPort>} on this host leads to
 * {@code targetHost:targetPort} as the bastion sees it. The tap's config is pointed at the tunnel: the
 * setting {@link #hostSetting()} gets {@code 127.0.0.1} and {@link #portSetting()} the local port.
 * Immutable.
 *
 * @param bastion the SSH server to forward through
 * @param targetHost the source's host as the bastion resolves it
 * @param targetPort the source's port
 * @param localPort the local port to listen on (loopback only); 0 picks a free one
 * @param hostSetting the tap config key set to {@code 127.0.0.1} (default {@code host}); empty to leave it
 * @param portSetting the tap config key set to the local port (default {@code port}); empty to leave it
 */
public record SshTunnel(SshEndpoint bastion, String targetHost, int targetPort, int localPort,
        Optional<String> hostSetting, Optional<String> portSetting) {
    public SshTunnel {
        requireNonNull(bastion, "bastion is null");
        requireNonNull(targetHost, "targetHost is null");
        requireNonNull(hostSetting, "hostSetting is null");
        requireNonNull(portSetting, "portSetting is null");
        if (targetPort < 1 || targetPort > 65535) {
            throw new ConfigException("ssh tunnel target port " + targetPort + " is not between 1 and 65535");
        }
        if (localPort < 0 || localPort > 65535) {
            throw new ConfigException("ssh tunnel local port " + localPort + " is not between 0 and 65535");
        }
    }

    /**
     * {@code config} with {@link #hostSetting()} set to {@code 127.0.0.1} and {@link #portSetting()} to
     * {@code localPort}: what the tap gets while the tunnel is open. {@code config} is not changed.
     */
    public JsonNode pointConfigAt(JsonNode config, int localPort) {
        if (!(config instanceof ObjectNode obj)) {
            throw new ConfigException("the config of a tap with an ssh tunnel must be a JSON object");
        }
        ObjectNode out = obj.deepCopy();
        hostSetting.ifPresent(k -> out.put(k, "127.0.0.1"));
        portSetting.ifPresent(k -> out.put(k, localPort));
        return out;
    }

    /** A tunnel to {@code targetHost:targetPort} on a free local port, setting the tap's {@code host} and {@code port}. */
    public static SshTunnel to(SshEndpoint bastion, String targetHost, int targetPort) {
        return new SshTunnel(bastion, targetHost, targetPort, 0, Optional.of("host"), Optional.of("port"));
    }
}
