package org.gan4j.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers where each value of a merged config came from (a file position, {@code --set}, or the defaults), so
 * that an error about a value names the place the user has to change.
 */
final class ConfigSources {

    /** How messages name a value nobody overrode. */
    static final String DEFAULTS = "the defaults";

    private final Map<String, String> byKey = new HashMap<>();
    /** Sources that are a run's recorded config (its run.json), not a config the user gives now. */
    private final java.util.Set<String> recorded = new java.util.HashSet<>();

    /**
     * Marks a source as a run's recorded config: rules about what a new config may hold (a data.path the data kind
     * does not read) do not refuse what a run made before them recorded.
     *
     * @param source the source name (a YAML text's values are recorded with their position after it)
     */
    void markRecorded(String source) {
        recorded.add(source);
    }

    /**
     * Whether a key's value came from a run's recorded config ({@link #markRecorded}).
     *
     * @param key the dotted key
     * @return true if its source is a recorded one
     */
    boolean isRecorded(String key) {
        String source = of(key);
        // a YAML text's sources carry the position: "runs/x/run.json:5:3"
        return recorded.stream().anyMatch(name -> source.equals(name) || source.startsWith(name + ":"));
    }

    /**
     * Records that a key (and everything below it) now comes from a source, forgetting older entries below it.
     *
     * @param key the dotted key
     * @param source where its value was written
     */
    void set(String key, String source) {
        byKey.keySet().removeIf(existing -> existing.startsWith(key + "[") || existing.startsWith(key + "."));
        byKey.put(key, source);
    }

    /**
     * Records the source of one part of a value (for example a list element) without touching other parts.
     *
     * @param key the dotted key with an index, such as {@code model.mlp.generatorHidden[1]}
     * @param source where that part was written
     */
    void setPart(String key, String source) {
        byKey.put(key, source);
    }

    /**
     * Names the place a key's value came from: the most specific recorded source of the key or of the value that
     * contains it.
     *
     * @param key the dotted key, possibly with list indices
     * @return the source, or {@value #DEFAULTS}
     */
    String of(String key) {
        String current = key;
        while (!current.isEmpty()) {
            String source = byKey.get(current);
            if (source != null) {
                return source;
            }
            int cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
            if (cut < 0) {
                break;
            }
            current = current.substring(0, cut);
        }
        return DEFAULTS;
    }
}
