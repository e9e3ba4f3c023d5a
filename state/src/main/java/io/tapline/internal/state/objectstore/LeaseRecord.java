package io.tapline.internal.state.objectstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The body of a run lease object ({@code <prefix>/<state_id>/tapline.lease}): who holds it and for how long a
 * renewal keeps it. The store's last-modified time is the heartbeat: a lease whose object is older than its
 * {@code ttl} (by the store's clock) is dead. A released lease stays as an object marked {@code released}, so
 * the next holder takes it with the same compare-and-swap as an expired one.
 */
record LeaseRecord(String owner, String host, long pid, Instant started, Duration ttl, boolean released) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static LeaseRecord forThisProcess(Duration ttl) {
        return new LeaseRecord(UUID.randomUUID().toString(), hostName(), ProcessHandle.current().pid(), Instant.now(),
                ttl, false);
    }

    LeaseRecord asReleased() {
        return new LeaseRecord(owner, host, pid, started, ttl, true);
    }

    /** Whether a holder may still be running, given the lease object's age by the store's clock. */
    boolean isLive(Duration age) {
        return !released && age.compareTo(ttl) < 0;
    }

    byte[] toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("owner", owner).put("host", host).put("pid", pid).put("started", started.toString())
                .put("ttl_ms", ttl.toMillis()).put("released", released);
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a lease", e);
        }
    }

    /** The lease in an object's bytes; a body that is not one (foreign or torn) reads as released. */
    static LeaseRecord parse(byte[] bytes, Duration fallbackTtl) {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n != null && n.isObject() && n.hasNonNull("owner")) {
                long ttlMs = n.path("ttl_ms").asLong(fallbackTtl.toMillis());
                return new LeaseRecord(n.get("owner").asText(), n.path("host").asText(""), n.path("pid").asLong(-1),
                        Instant.parse(n.path("started").asText(Instant.EPOCH.toString())),
                        Duration.ofMillis(ttlMs > 0 ? ttlMs : fallbackTtl.toMillis()), n.path("released").asBoolean(false));
            }
        } catch (IOException | RuntimeException e) {
            // not a lease: treated as released below
        }
        return new LeaseRecord("", "", -1, Instant.EPOCH, fallbackTtl, true);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
