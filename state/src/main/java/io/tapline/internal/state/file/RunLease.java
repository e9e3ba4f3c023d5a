package io.tapline.internal.state.file;

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
 * What a run lock file says about its holder: where it runs, since when, and when it last proved
 * it is alive. The OS file lock is the first line of defence; the lease covers what it cannot:
 * a lock file on a filesystem where locks do not reach every client (NFS without lockd, a folder
 * shared by containers on several hosts), or a lock file left by a crashed holder.
 *
 * <p>A holder rewrites {@code heartbeat} every heartbeat interval. A lease is live while its
 * heartbeat is younger than the TTL, except that a holder on this host whose process is gone (or
 * is another process under a reused pid) is dead at once, so a rerun after {@code kill -9} never
 * waits. An empty file is a released lease.
 *
 * @param owner unique per lock taken
 * @param host the holder's host name
 * @param pid the holder's process id
 * @param processStart when the holder's process started (tells a reused pid apart), if known
 */
record RunLease(String owner, String host, long pid, Optional<Instant> processStart, Instant started, Instant heartbeat) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static RunLease forThisProcess(Instant now) {
        ProcessHandle self = ProcessHandle.current();
        return new RunLease(UUID.randomUUID().toString(), hostName(), self.pid(), self.info().startInstant(), now, now);
    }

    RunLease beat(Instant now) {
        return new RunLease(owner, host, pid, processStart, started, now);
    }

    /** Whether a holder described by this lease may still be running. */
    boolean isLive(Instant now, Duration ttl) {
        if (host.equals(hostName())) {
            Optional<ProcessHandle> holder = ProcessHandle.of(pid);
            if (holder.isEmpty() || !holder.get().isAlive()) {
                return false;
            }
            Optional<Instant> start = holder.get().info().startInstant();
            if (processStart.isPresent() && start.isPresent() && !start.equals(processStart)) {
                return false; // the pid now belongs to another process
            }
        }
        return Duration.between(heartbeat, now).compareTo(ttl) < 0;
    }

    byte[] toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("owner", owner).put("host", host).put("pid", pid).put("started", started.toString())
                .put("heartbeat", heartbeat.toString());
        processStart.ifPresent(s -> n.put("process_start", s.toString()));
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a lease", e);
        }
    }

    /** The lease in a lock file's bytes; empty for a released lease or text that is not one (e.g. an older tapline's timestamp). */
    static Optional<RunLease> parse(byte[] bytes) {
        if (bytes.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || !n.isObject() || !n.hasNonNull("heartbeat")) {
                return Optional.empty();
            }
            return Optional.of(new RunLease(n.path("owner").asText(""), n.path("host").asText(""), n.path("pid").asLong(-1),
                    n.hasNonNull("process_start") ? Optional.of(Instant.parse(n.get("process_start").asText())) : Optional.empty(),
                    Instant.parse(n.path("started").asText(n.get("heartbeat").asText())),
                    Instant.parse(n.get("heartbeat").asText())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
