package org.gan4j.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The shape of a gan4j config, read once from the {@link RunConfig} records: every section and leaf key, its type,
 * and the helpers that name keys and enum values in messages.
 *
 * <p>The YAML keys are the record component names, so the records stay the single source of truth.
 */
final class ConfigSchema {

    /** What a key holds. */
    enum Kind {
        /** A text value. */
        STRING,
        /** A 32-bit integer. */
        INT,
        /** A 64-bit integer. */
        LONG,
        /** A finite floating-point number. */
        DOUBLE,
        /** true or false. */
        BOOLEAN,
        /** One constant of an enum, spelled in any case style. */
        ENUM,
        /** A list of 32-bit integers. */
        INT_LIST,
        /** A list of numbers. */
        DOUBLE_LIST,
        /** A list of lists of numbers. */
        DOUBLE_MATRIX,
        /** A nested record: a mapping of further keys. */
        SECTION
    }

    /**
     * One key of the config.
     *
     * @param path the full dotted key, empty for the root
     * @param name the last segment of the key (the record component's name)
     * @param kind what the key holds
     * @param type the record class of a section, the enum class of an enum, otherwise the component's raw type
     * @param component the record component read and written for this key (null for the root)
     * @param children the keys of a section, in declaration order (empty for leaves)
     */
    record Field(
            String path, String name, Kind kind, Class<?> type, RecordComponent component, List<Field> children) {

        /**
         * Whether this key is a section (a mapping of further keys).
         *
         * @return true for sections
         */
        boolean isSection() {
            return kind == Kind.SECTION;
        }

        /**
         * Returns the key directly under this section with the given name.
         *
         * @param childName the last segment
         * @return the child, or null if there is none
         */
        Field child(String childName) {
            for (Field child : children) {
                if (child.name.equals(childName)) {
                    return child;
                }
            }
            return null;
        }

        /**
         * Describes what a value of this key must be, as used after "must be" in messages.
         *
         * @return for example "an integer" or "one of mean, sum"
         */
        String expected() {
            switch (kind) {
                case STRING:
                    return "a string";
                case INT:
                case LONG:
                    return "an integer";
                case DOUBLE:
                    return "a number";
                case BOOLEAN:
                    return "true or false";
                case ENUM:
                    return "one of " + String.join(", ", enumNames(type));
                case INT_LIST:
                    return "a list of integers, e.g. [400, 400]";
                case DOUBLE_LIST:
                    return "a list of numbers, e.g. [1.0, 2.0]";
                case DOUBLE_MATRIX:
                    return "a list of rows of numbers, e.g. [[1.0, 2.0], [-0.1, 0.5]]";
                case SECTION:
                    return "a mapping with the keys " + childNames();
                default:
                    throw new IllegalStateException("unknown kind " + kind);
            }
        }

        /**
         * Lists the names of this section's keys.
         *
         * @return the names joined by ", "
         */
        String childNames() {
            return children.stream().map(Field::name).collect(Collectors.joining(", "));
        }
    }

    /** The root of the config: the {@link RunConfig} record. */
    static final Field ROOT = section("", "", RunConfig.class, null);

    private static final Map<String, Field> BY_PATH = index();

    /** Common names from other GAN code bases, normalised, mapped to the gan4j key name they mean. */
    private static final Map<String, String> SYNONYMS =
            Map.ofEntries(
                    Map.entry("lr", "learningRate"),
                    Map.entry("nz", "latentSize"),
                    Map.entry("zdim", "latentSize"),
                    Map.entry("latentdim", "latentSize"),
                    Map.entry("noisesize", "latentSize"),
                    Map.entry("noisedim", "latentSize"),
                    Map.entry("ngf", "generatorFeatures"),
                    Map.entry("ndf", "discriminatorFeatures"),
                    Map.entry("iterations", "steps"),
                    Map.entry("iters", "steps"),
                    Map.entry("numsteps", "steps"),
                    Map.entry("epochs", "steps"),
                    Map.entry("numepochs", "steps"),
                    Map.entry("batch", "batchSize"),
                    Map.entry("eps", "epsilon"),
                    Map.entry("betas", "beta1"),
                    Map.entry("beta", "beta1"),
                    Map.entry("workers", "threads"),
                    Map.entry("numthreads", "threads"),
                    Map.entry("outdir", "dir"),
                    Map.entry("outputdir", "dir"),
                    Map.entry("dataset", "kind"),
                    Map.entry("type", "kind"),
                    Map.entry("arch", "architecture"),
                    Map.entry("numsamples", "samples"),
                    Map.entry("imgsize", "imageSize"),
                    Map.entry("nc", "channels"),
                    Map.entry("pac", "packing"),
                    Map.entry("maxout", "discriminatorMaxoutPieces"),
                    Map.entry("randomseed", "seed"));

    private ConfigSchema() {}

    private static Field section(String path, String name, Class<?> recordClass, RecordComponent component) {
        List<Field> children = new ArrayList<>();
        for (RecordComponent child : recordClass.getRecordComponents()) {
            String childPath = path.isEmpty() ? child.getName() : path + "." + child.getName();
            children.add(field(childPath, child));
        }
        return new Field(path, name, Kind.SECTION, recordClass, component, Collections.unmodifiableList(children));
    }

    private static Field field(String path, RecordComponent component) {
        Class<?> raw = component.getType();
        String name = component.getName();
        if (raw.isRecord()) {
            return section(path, name, raw, component);
        }
        Kind kind;
        if (raw == String.class) {
            kind = Kind.STRING;
        } else if (raw == int.class) {
            kind = Kind.INT;
        } else if (raw == long.class) {
            kind = Kind.LONG;
        } else if (raw == double.class) {
            kind = Kind.DOUBLE;
        } else if (raw == boolean.class) {
            kind = Kind.BOOLEAN;
        } else if (raw.isEnum()) {
            kind = Kind.ENUM;
        } else if (raw == List.class) {
            kind = listKind(path, component.getGenericType());
        } else {
            throw new IllegalStateException("config key " + path + " has an unsupported type " + raw);
        }
        return new Field(path, name, kind, raw, component, List.of());
    }

    private static Kind listKind(String path, Type type) {
        Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
        if (element == Integer.class) {
            return Kind.INT_LIST;
        }
        if (element == Double.class) {
            return Kind.DOUBLE_LIST;
        }
        if (element instanceof ParameterizedType
                && ((ParameterizedType) element).getRawType() == List.class
                && ((ParameterizedType) element).getActualTypeArguments()[0] == Double.class) {
            return Kind.DOUBLE_MATRIX;
        }
        throw new IllegalStateException("config key " + path + " has an unsupported list type " + type);
    }

    private static Map<String, Field> index() {
        Map<String, Field> byPath = new LinkedHashMap<>();
        addAll(ROOT, byPath);
        return Collections.unmodifiableMap(byPath);
    }

    private static void addAll(Field field, Map<String, Field> byPath) {
        byPath.put(field.path(), field);
        for (Field child : field.children()) {
            addAll(child, byPath);
        }
    }

    /**
     * Finds a key by its dotted path.
     *
     * @param path the dotted key; empty for the root
     * @return the key, or null if the config has no such key
     */
    static Field find(String path) {
        return BY_PATH.get(path);
    }

    /**
     * Lists every leaf key (not sections) in declaration order.
     *
     * @return the leaves
     */
    static List<Field> leaves() {
        return BY_PATH.values().stream().filter(field -> !field.isSection()).collect(Collectors.toList());
    }

    /**
     * Suggests the known key a user probably meant: same name in another case style, an acronym ({@code lr}), a
     * common synonym from other GAN code ({@code nz}, {@code ngf}), or a small typo; keys under the same section win.
     *
     * @param unknownPath the dotted key that does not exist
     * @return the best known key, if one is close enough
     */
    static Optional<String> suggest(String unknownPath) {
        int dot = unknownPath.lastIndexOf('.');
        String parent = dot < 0 ? "" : unknownPath.substring(0, dot);
        String last = normalise(unknownPath.substring(dot + 1));
        if (last.isEmpty()) {
            return Optional.empty();
        }
        String best = null;
        double bestScore = Double.MAX_VALUE;
        for (Field candidate : BY_PATH.values()) {
            if (candidate.path().isEmpty() || candidate.path().equals(unknownPath)) {
                continue;
            }
            double score = score(last, candidate.name());
            if (score == Double.MAX_VALUE) {
                continue;
            }
            if (!parent.isEmpty() && candidate.path().startsWith(parent + ".")) {
                score -= 0.5;
            }
            if (score < bestScore) {
                bestScore = score;
                best = candidate.path();
            }
        }
        return Optional.ofNullable(best);
    }

    private static double score(String normalisedUnknown, String candidateName) {
        String candidate = normalise(candidateName);
        if (normalisedUnknown.equals(candidate)) {
            return 0;
        }
        if (normalisedUnknown.length() >= 2 && normalisedUnknown.equals(acronym(candidateName))) {
            return 1;
        }
        if (candidateName.equals(SYNONYMS.get(normalisedUnknown))) {
            return 1;
        }
        int distance = editDistance(normalisedUnknown, candidate);
        int allowed = Math.max(1, Math.min(normalisedUnknown.length(), candidate.length()) / 3);
        return distance <= allowed ? 2 + distance : Double.MAX_VALUE;
    }

    /**
     * Lower-cases a key or enum spelling and drops underscores, hyphens and spaces, so that
     * {@code nonSaturating}, {@code non_saturating}, {@code NON-SATURATING} all read {@code nonsaturating}.
     *
     * @param text any spelling
     * @return the normalised spelling
     */
    static String normalise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '_' && c != '-' && c != ' ') {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    private static String acronym(String camelCase) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < camelCase.length(); i++) {
            char c = camelCase.charAt(i);
            if (i == 0 || Character.isUpperCase(c)) {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
    private static int editDistance(String a, String b) {
        int[][] distance = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            distance[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            distance[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(distance[i - 1][j - 1] + cost, Math.min(distance[i - 1][j], distance[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, distance[i - 2][j - 2] + 1);
                }
                distance[i][j] = best;
            }
        }
        return distance[a.length()][b.length()];
    }

    /**
     * Writes an enum constant the way gan4j configs spell it: lowerCamelCase ({@code NON_SATURATING} →
     * {@code nonSaturating}, {@code CIFAR10} → {@code cifar10}).
     *
     * @param constant the constant
     * @return its config spelling
     */
    static String enumName(Enum<?> constant) {
        String[] words = constant.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder out = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            if (!words[i].isEmpty()) {
                out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
        }
        return out.toString();
    }

    /**
     * Lists the config spellings of an enum's constants.
     *
     * @param enumClass the enum
     * @return the lowerCamelCase names in declaration order
     */
    static List<String> enumNames(Class<?> enumClass) {
        List<String> names = new ArrayList<>();
        for (Object constant : enumClass.getEnumConstants()) {
            names.add(enumName((Enum<?>) constant));
        }
        return names;
    }

    /**
     * Finds the enum constant a spelling means, ignoring case, underscores and hyphens.
     *
     * @param enumClass the enum
     * @param spelling the user's spelling
     * @return the constant, or null if none matches
     */
    static Enum<?> parseEnum(Class<?> enumClass, String spelling) {
        String wanted = normalise(spelling);
        for (Object constant : enumClass.getEnumConstants()) {
            if (normalise(((Enum<?>) constant).name()).equals(wanted)) {
                return (Enum<?>) constant;
            }
        }
        return null;
    }
}
