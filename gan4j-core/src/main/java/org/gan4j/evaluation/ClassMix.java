package org.gan4j.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The per-class mix behind {@link ClassHistogram}'s aggregates: for each class the share of the generated samples
 * the reference classifier assigns to it, {@code q_k = c_k / N}, next to its share of the real images, {@code p_k},
 * with the class names of the classifier's sidecar. It says which classes a collapsed generator misses ({@code q_k
 * = 0 < p_k}) and which it over-produces ({@code q_k − p_k} largest), which the class KL and entropy do not.
 *
 * @param names the class names in label order ("class k" where the sidecar names none)
 * @param sampleShares the share of the generated samples per class, {@code q_k}, summing to 1
 * @param realShares the share of the real images per class, {@code p_k}, summing to 1
 */
public record ClassMix(List<String> names, double[] sampleShares, double[] realShares) {

    /**
     * The key the mix is stored under: an extra of an evaluation row in metrics.jsonl, and a field beside "metrics"
     * in an evaluation's JSON ({@link #toJson}).
     */
    public static final String KEY = "classMix";

    /** How many classes {@link #summary} lists by name; the rest are counted. */
    public static final int LISTED = 6;

    /** How many missing classes {@link Verdict} names; the rest are counted. */
    public static final int MISSING_NAMED = 4;

    /**
     * Validates and copies.
     *
     * @param names one name per class
     * @param sampleShares one share per class
     * @param realShares one share per class
     */
    public ClassMix {
        names = List.copyOf(names);
        if (sampleShares.length != names.size() || realShares.length != names.size() || names.isEmpty()) {
            throw new IllegalArgumentException("a class mix needs one name, one sample share and one real share per"
                    + " class; got " + names.size() + ", " + sampleShares.length + " and " + realShares.length);
        }
        sampleShares = sampleShares.clone();
        realShares = realShares.clone();
    }

    /**
     * Builds the mix from the predicted classes of the generated samples.
     *
     * @param counts the number of samples predicted as each class (at least one sample in all)
     * @param realDistribution the real class distribution, one entry per class
     * @param names the class names, one per class
     * @return the mix
     */
    public static ClassMix of(long[] counts, double[] realDistribution, List<String> names) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("a class mix needs at least one sample");
        }
        double[] shares = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            shares[k] = counts[k] / (double) total;
        }
        return new ClassMix(names, shares, realDistribution);
    }

    /**
     * Returns the number of classes.
     *
     * @return {@code K}
     */
    public int classes() {
        return names.size();
    }

    /**
     * Returns a copy of the sample shares.
     *
     * @return {@code q_k} per class
     */
    @Override
    public double[] sampleShares() {
        return sampleShares.clone();
    }

    /**
     * Returns a copy of the real shares.
     *
     * @return {@code p_k} per class
     */
    @Override
    public double[] realShares() {
        return realShares.clone();
    }

    /**
     * The classes no generated sample falls into although real images do, the most common among the real images first
     * (label order among equals).
     *
     * @return class labels
     */
    public List<Integer> missing() {
        List<Integer> missing = new ArrayList<>();
        for (int k = 0; k < classes(); k++) {
            if (sampleShares[k] == 0 && realShares[k] > 0) {
                missing.add(k);
            }
        }
        missing.sort(Comparator.comparingDouble((Integer k) -> -realShares[k]).thenComparing(k -> k));
        return missing;
    }

    /**
     * The missing classes by name, as {@link Verdict} names them: the first {@value #MISSING_NAMED} of {@link
     * #missing}, then how many more, e.g. "Pullover, Coat, Shirt, Ankle boot and 2 more".
     *
     * @return the names, or an empty string when no class is missing
     */
    public String missingNames() {
        List<Integer> missing = missing();
        List<String> named = new ArrayList<>();
        for (int k : missing.subList(0, Math.min(MISSING_NAMED, missing.size()))) {
            named.add(names.get(k));
        }
        String text = String.join(", ", named);
        if (missing.size() > MISSING_NAMED) {
            text += " and " + (missing.size() - MISSING_NAMED) + " more";
        }
        return text;
    }

    /**
     * The class whose share of the samples exceeds its real share the most.
     *
     * @return its label, or -1 when no class has more than its real share
     */
    public int mostOverRepresented() {
        int best = -1;
        for (int k = 0; k < classes(); k++) {
            double excess = sampleShares[k] - realShares[k];
            if (excess > 0 && (best < 0 || excess > sampleShares[best] - realShares[best])) {
                best = k;
            }
        }
        return best;
    }

    /**
     * The class the samples have at least once but furthest below its real share.
     *
     * @return its label, or -1 when no such class falls short
     */
    public int mostUnderRepresented() {
        int worst = -1;
        for (int k = 0; k < classes(); k++) {
            double shortfall = realShares[k] - sampleShares[k];
            if (sampleShares[k] > 0 && shortfall > 0
                    && (worst < 0 || shortfall > realShares[worst] - sampleShares[worst])) {
                worst = k;
            }
        }
        return worst;
    }

    /**
     * The class labels ordered by how far their sample share is from their real share, furthest first (label order
     * among equals).
     *
     * @return every label once
     */
    public List<Integer> byDistance() {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < classes(); k++) {
            order.add(k);
        }
        order.sort(Comparator.comparingDouble((Integer k) -> -Math.abs(sampleShares[k] - realShares[k]))
                .thenComparing(k -> k));
        return order;
    }

    /**
     * One readable line of the mix: the {@value #LISTED} classes furthest from their real share, each as "name
     * sample-share % (real-share %)", then how many more there are and how close they come, e.g. "Trouser 31 % (10 %),
     * Bag 0 % (10 %), … + 4 more within 1.2 points of their real share".
     *
     * @return the line
     */
    public String summary() {
        // a class neither the samples nor the real images show is not part of the mix ("Pullover 0 % (0 %)")
        List<Integer> order = byDistance().stream().filter(k -> sampleShares[k] > 0 || realShares[k] > 0).toList();
        List<String> parts = new ArrayList<>();
        for (int k : order.subList(0, Math.min(LISTED, order.size()))) {
            parts.add(share(k));
        }
        String line = String.join(", ", parts);
        if (order.size() > LISTED) {
            int next = order.get(LISTED);
            double points = 100 * Math.abs(sampleShares[next] - realShares[next]);
            int more = order.size() - LISTED;
            String within = String.format(Locale.ROOT, points < 10 ? "%.1f" : "%.0f", points);
            String whose = more == 1 ? "its" : "their";
            line += within.equals("0.0")
                    ? String.format(Locale.ROOT, " + %d more at %s real share", more, whose)
                    : String.format(Locale.ROOT, " + %d more within %s points of %s real share", more, within, whose);
        }
        return line;
    }

    /** "name q % (p %)". */
    private String share(int k) {
        return names.get(k) + " " + percent(sampleShares[k]) + " % (" + percent(realShares[k]) + " %)";
    }

    /**
     * A share as a percentage: 0 and 1 exactly as "0" and "100", a share below 0.05 % as "< 0.1" and one from
     * 99.5 % below 1 with one decimal (at most "99.9"), otherwise as {@link Verdict}'s percentages are (one decimal
     * below 10 %, whole numbers above).
     *
     * @param fraction in [0, 1]
     * @return the number, without the % sign
     */
    public static String percent(double fraction) {
        if (fraction == 0 || fraction == 1) {
            return fraction == 0 ? "0" : "100";
        }
        double percent = 100 * fraction;
        if (percent < 0.05) {
            return "< 0.1"; // a share above 0 is not "0.0"
        }
        if (percent >= 99.5) {
            // not "100" for a share below 1: 99.6 % of the samples leaves a class out
            return String.format(Locale.ROOT, "%.1f", Math.min(percent, 99.9));
        }
        return Verdict.percent(fraction);
    }

    /**
     * Writes the mix as a JSON array in label order: {@code [{"label": 0, "name": "T-shirt/top", "samples": 0.12,
     * "real": 0.1}, …]}.
     *
     * @return the array
     */
    public ArrayNode toJson() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int k = 0; k < classes(); k++) {
            ObjectNode entry = array.addObject();
            entry.put("label", k);
            entry.put("name", names.get(k));
            entry.put("samples", sampleShares[k]);
            entry.put("real", realShares[k]);
        }
        return array;
    }

    /**
     * Reads the array {@link #toJson} writes.
     *
     * @param node the array, or null
     * @return the mix, or null when the node is absent or not such an array (an evaluation without one)
     */
    public static ClassMix fromJson(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            return null;
        }
        int classes = node.size();
        String[] names = new String[classes];
        double[] samples = new double[classes];
        double[] real = new double[classes];
        for (JsonNode entry : node) {
            int k = entry.path("label").asInt(-1);
            if (k < 0 || k >= classes || names[k] != null || !entry.path("samples").isNumber()
                    || !entry.path("real").isNumber()) {
                return null;
            }
            names[k] = entry.path("name").asText("class " + k);
            samples[k] = entry.get("samples").asDouble();
            real[k] = entry.get("real").asDouble();
        }
        return new ClassMix(Arrays.asList(names), samples, real);
    }

    /**
     * Compares names and shares, element by element.
     *
     * @param other the object to compare with
     * @return whether both hold the same mix
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClassMix that && names.equals(that.names)
                && Arrays.equals(sampleShares, that.sampleShares) && Arrays.equals(realShares, that.realShares);
    }

    /**
     * Hashes all components.
     *
     * @return a hash consistent with {@link #equals}
     */
    @Override
    public int hashCode() {
        return (names.hashCode() * 31 + Arrays.hashCode(sampleShares)) * 31 + Arrays.hashCode(realShares);
    }

    /**
     * Describes the mix.
     *
     * @return the summary line
     */
    @Override
    public String toString() {
        return "ClassMix[" + summary() + "]";
    }
}
