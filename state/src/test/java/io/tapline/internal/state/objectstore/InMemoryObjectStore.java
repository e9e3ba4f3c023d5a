package io.tapline.internal.state.objectstore;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A real {@link ObjectStore} in memory for unit tests: versions count up, ages are whatever the test sets. */
final class InMemoryObjectStore implements ObjectStore {
    private record Entry(byte[] bytes, String version) {}

    private final Map<String, Entry> objects = new HashMap<>();
    private long nextVersion = 1;
    private Duration age = Duration.ZERO;

    synchronized void age(Duration age) { this.age = age; }

    @Override
    public String describe() { return "mem://test"; }

    @Override
    public void probe() { }

    @Override
    public synchronized Optional<StoredObject> get(String key) {
        return Optional.ofNullable(objects.get(key)).map(e -> new StoredObject(e.bytes().clone(), e.version(), age));
    }

    @Override
    public synchronized Optional<String> create(String key, byte[] bytes) {
        return objects.containsKey(key) ? Optional.empty() : Optional.of(store(key, bytes));
    }

    @Override
    public synchronized Optional<String> replace(String key, byte[] bytes, String version) {
        Entry e = objects.get(key);
        return e == null || !e.version().equals(version) ? Optional.empty() : Optional.of(store(key, bytes));
    }

    @Override
    public synchronized String put(String key, byte[] bytes) { return store(key, bytes); }

    @Override
    public synchronized void delete(String key) { objects.remove(key); }

    @Override
    public synchronized List<String> keys(String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    private String store(String key, byte[] bytes) {
        String v = Long.toString(nextVersion++);
        objects.put(key, new Entry(bytes.clone(), v));
        return v;
    }

    @Override
    public void close() { }
}
