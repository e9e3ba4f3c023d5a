package io.tapline.internal.runner.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovered catalogs kept between runs, as Meltano keeps them: {@code <dir>/<plugin>/tap.properties.json}
 * next to the key it was discovered under. Discovery runs again when the key changes (the key hashes
 * whatever the output depends on: the tap's command and config) or when the caller asks for a refresh.
 * The file may hold secrets' names but never their values: a catalog is the tap's schema output.
 */
public final class CatalogCache {
    private static final Logger log = LoggerFactory.getLogger(CatalogCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public CatalogCache(Path dir) {
        this.dir = dir;
    }

    /** SHA-256 over the parts, each length-prefixed so that no two part lists collide. */
    public static String key(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] b = p.getBytes(StandardCharsets.UTF_8);
                md.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The cached catalog of {@code plugin} under {@code key}, else {@code discover}'s result, then cached. */
    public ObjectNode get(String plugin, String key, boolean refresh, Supplier<ObjectNode> discover) {
        Path folder = dir.resolve(plugin);
        Path catalog = folder.resolve("tap.properties.json");
        Path keyFile = folder.resolve("tap.properties.cache_key");
        if (!refresh) {
            Optional<ObjectNode> cached = read(catalog, keyFile, key);
            if (cached.isPresent()) {
                log.info("{}: using the cached catalog (config unchanged; --refresh-catalog discovers again)", plugin);
                return cached.get();
            }
        }
        ObjectNode discovered = discover.get();
        try {
            Files.createDirectories(folder);
            write(catalog, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(discovered));
            write(keyFile, key.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.warn("{}: could not cache the catalog under {}: {}", plugin, folder, e.getMessage());
        }
        return discovered;
    }

    private static Optional<ObjectNode> read(Path catalog, Path keyFile, String key) {
        try {
            if (!Files.readString(keyFile).trim().equals(key)) {
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(Files.readAllBytes(catalog));
            return node instanceof ObjectNode obj && obj.path("streams").isArray() ? Optional.of(obj) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("ignoring an unreadable cached catalog {}: {}", catalog, e.getMessage());
            return Optional.empty();
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".catalog-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public Path dir() { return dir; }
}
