package io.tapline.it.support;

import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStoreException;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.ErrorCode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A run in miniature, in its own JVM, for lease tests across processes: opens the backend named by its arguments
 * through the SPI, takes the run lease of one state id (retrying while another run holds it), then obeys its
 * standard input. Lines starting with {@code @@ } on standard output report what happened.
 *
 * <p>Arguments: {@code <uri> <heartbeat ms> <ttl ms> <state id> [setting=value ...]}. Commands: {@code save}
 * (reads the counter {@code n} from the state and saves {@code n + 1} with this pid; prints {@code saved <n>} or
 * {@code error <code>}), {@code release}, {@code exit}.
 */
public final class LeaseHolderMain {
    private LeaseHolderMain() {}

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        StateBackendConfig.Lease lease = new StateBackendConfig.Lease(Duration.ofMillis(Long.parseLong(args[1])),
                Duration.ofMillis(Long.parseLong(args[2])));
        String stateId = args[3];
        Map<String, String> settings = new HashMap<>();
        for (int i = 4; i < args.length; i++) {
            settings.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        }
        StateBackendProvider provider = ServiceLoader.load(StateBackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.schemes().contains(uri.getScheme())).findFirst().orElseThrow();
        long pid = ProcessHandle.current().pid();
        try (StateBackend backend = provider.open(new StateBackendConfig(uri, settings, System.getenv(), Path.of("."), lease))) {
            say("ready " + pid);
            StateLock lock = acquire(backend, stateId, System.nanoTime() + Duration.ofSeconds(120).toNanos());
            say("held " + pid);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String cmd; (cmd = in.readLine()) != null; ) {
                switch (cmd.trim()) {
                    case "save" -> {
                        try {
                            long n = backend.read(stateId).map(s -> counter(s.json())).orElse(0L) + 1;
                            backend.save(stateId, new StateBlob("{\"n\":" + n + ",\"by\":" + pid + "}"), StateWriteMode.COMPLETE);
                            say("saved " + n);
                        } catch (StateStoreException e) {
                            say("error " + e.errorCode());
                        }
                    }
                    case "release" -> {
                        lock.close();
                        say("released " + pid);
                    }
                    case "exit" -> {
                        return;
                    }
                    default -> say("unknown " + cmd);
                }
            }
        }
    }

    private static StateLock acquire(StateBackend backend, String stateId, long deadline) throws InterruptedException {
        while (true) {
            try {
                return backend.lock(stateId);
            } catch (StateStoreException e) {
                if (e.errorCode() != ErrorCode.STATE_LOCKED || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100); // a waiting run polls the lease, as the CLI's retry would
            }
        }
    }

    private static long counter(String json) {
        int at = json.indexOf("\"n\":");
        int end = at + 4;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Long.parseLong(json.substring(at + 4, end));
    }

    private static void say(String line) {
        System.out.println("@@ " + line);
        System.out.flush();
    }
}
