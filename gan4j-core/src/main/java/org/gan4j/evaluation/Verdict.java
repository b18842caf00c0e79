package org.gan4j.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plain-language reading of an evaluation's numbers: whether the generator shows mode collapse, low variety or low
 * fidelity, whether it may copy its training data, and how well the fixed discriminator tells real from generated.
 *
 * <p>The thresholds are rules of thumb, documented in docs/EVALUATION.md ("Reading the verdict"):
 *
 * <ul>
 *   <li>2-D mixtures: 1 mode captured of several is <b>mode collapse</b>, fewer than all <b>partial mode
 *       collapse</b>; all modes with a reverse KL above {@value #UNEVEN_KL} nats are captured unevenly; a
 *       high-quality fraction below {@value #LOW_FRACTION} means most samples lie off every mode;
 *   <li>images: a class KL above {@value #COLLAPSE_CLASS_KL} nats is <b>mode collapse</b> (the samples concentrate
 *       on about e^entropy classes), above {@value #UNEVEN_CLASS_KL} <b>partial mode collapse</b>; recall or
 *       coverage below {@value #LOW_FRACTION} is low variety, precision below it low fidelity; a pixel diversity
 *       below {@value #COLLAPSE_DIVERSITY} is <b>mode collapse</b>, below {@value #LOW_DIVERSITY} low variety; a
 *       memorisation ratio below {@value #COPY_RATIO} suggests copying;
 *   <li>the discriminator test: ROC AUC at least {@value #EASY_AUC} means D spots the samples easily, at most
 *       {@value #CHANCE_AUC} that D cannot tell them from real ones, below {@value #BELOW_CHANCE_AUC} that D rates
 *       them as more real than real ones.
 * </ul>
 *
 * <p>Only the metrics present are read; an evaluation with none of them gives no lines. Given the evaluation's
 * {@link ClassMix}, a class verdict of (partial) mode collapse also names the classes: the missing ones (no sample,
 * though real images have them; up to {@value ClassMix#MISSING_NAMED}, then a count), the most over-represented one,
 * and, when none is missing, the most under-represented one.
 */
public final class Verdict {

    /** Reverse KL (nats) over modes above which captured modes are called uneven. */
    public static final double UNEVEN_KL = 0.2;

    /** Fraction (high-quality, recall, coverage, precision) below which it is called low. */
    public static final double LOW_FRACTION = 0.3;

    /** KL (nats) from the real class distribution above which image samples are called collapsed. */
    public static final double COLLAPSE_CLASS_KL = 0.5;

    /** KL (nats) from the real class distribution above which image samples are called partly collapsed. */
    public static final double UNEVEN_CLASS_KL = 0.15;

    /** Pixel diversity (generated / real) below which image samples are called collapsed. */
    public static final double COLLAPSE_DIVERSITY = 0.4;

    /** Pixel diversity below which image samples are called less varied than the real data. */
    public static final double LOW_DIVERSITY = 0.7;

    /** Memorisation ratio below which copying is suspected. */
    public static final double COPY_RATIO = 0.5;

    /** Discriminator ROC AUC from which D is said to spot generated samples easily. */
    public static final double EASY_AUC = 0.9;

    /** Discriminator ROC AUC below which D is said to rate generated samples above real ones. */
    public static final double BELOW_CHANCE_AUC = 0.4;

    /** Discriminator ROC AUC up to which D is said not to tell generated samples from real ones. */
    public static final double CHANCE_AUC = 0.6;

    private Verdict() {}

    /**
     * Reads an evaluation's metrics (the keys {@code gan4j evaluate} writes) into sentences.
     *
     * @param metrics metric name → value; missing and non-finite values are ignored
     * @return one sentence per finding, mode collapse first; empty when no metric it reads is present
     */
    public static List<String> of(Map<String, Double> metrics) {
        return of(metrics, null);
    }

    /**
     * Reads an evaluation's metrics into sentences, naming the classes of a class verdict of (partial) mode collapse.
     *
     * @param metrics metric name → value; missing and non-finite values are ignored
     * @param classMix the evaluation's per-class mix, or null (the sentences of {@link #of(Map)})
     * @return one sentence per finding, mode collapse first; empty when no metric it reads is present
     */
    public static List<String> of(Map<String, Double> metrics, ClassMix classMix) {
        List<String> lines = new ArrayList<>();
        modes(metrics, lines);
        classes(metrics, classMix, lines);
        variety(metrics, lines);
        discriminator(metrics, lines);
        return lines;
    }

    private static void modes(Map<String, Double> m, List<String> lines) {
        Double captured = finite(m, "modesCaptured");
        Double modes = finite(m, "modes");
        if (captured == null || modes == null) {
            return;
        }
        int k = (int) Math.round(captured);
        int n = (int) Math.round(modes);
        if (k == 0) {
            lines.add(String.format(Locale.ROOT,
                    "no mode captured: no generated sample lies within 3 std of any of the %d modes (G has not"
                            + " learned the data)", n));
        } else if (k == 1 && n > 1) {
            lines.add(String.format(Locale.ROOT,
                    "MODE COLLAPSE: the generated samples cover only 1 of the %d modes", n));
        } else if (k < n) {
            lines.add(String.format(Locale.ROOT,
                    "partial mode collapse: the generated samples cover %d of the %d modes (%d missing)", k, n,
                    n - k));
        } else {
            Double kl = finite(m, "reverseKl");
            if (kl != null && kl > UNEVEN_KL) {
                lines.add(String.format(Locale.ROOT,
                        "all %d modes captured, but unevenly: some modes get far more samples than others (reverse"
                                + " KL %.2f nats; 0 = even)", n, kl));
            } else {
                lines.add(String.format(Locale.ROOT, "no mode collapse: all %d modes captured", n));
            }
        }
        Double hq = finite(m, "highQualityFraction");
        if (hq != null && hq < LOW_FRACTION) {
            lines.add(String.format(Locale.ROOT,
                    "low quality: only %s %% of the samples lie within 3 std of a mode, the rest between or away"
                            + " from the modes", percent(hq)));
        }
    }

    /** A fraction as a percentage: one decimal below 10 % (0.56 % is not "1 %"), whole numbers above. */
    static String percent(double fraction) {
        double percent = 100 * fraction;
        return String.format(Locale.ROOT, percent < 10 ? "%.1f" : "%.0f", percent);
    }

    private static void classes(Map<String, Double> m, ClassMix mix, List<String> lines) {
        Double kl = finite(m, "classKl");
        if (kl == null) {
            return;
        }
        Double entropy = finite(m, "classEntropy");
        String effective = entropy == null ? ""
                : String.format(Locale.ROOT, "; in effect about %.1f classes", Math.exp(entropy));
        if (kl > COLLAPSE_CLASS_KL) {
            lines.add(String.format(Locale.ROOT,
                    "MODE COLLAPSE: the samples crowd into a few classes, far from the real class mix (class KL %.2f"
                            + " nats, 0 = same mix%s)", kl, effective) + namedClasses(mix));
        } else if (kl > UNEVEN_CLASS_KL) {
            lines.add(String.format(Locale.ROOT,
                    "partial mode collapse: some classes are rare or missing among the samples (class KL %.2f nats, 0"
                            + " = same mix as the real data%s)", kl, effective) + namedClasses(mix));
        } else {
            lines.add(String.format(Locale.ROOT,
                    "no mode collapse across classes: the samples' class mix is close to the real one (class KL"
                            + " %.2f nats%s)", kl, effective));
        }
    }

    /**
     * "; missing: Sandal, Bag; over-represented: Trouser (31 % of the samples, 10 % of the real images)", or, with no
     * class missing, the most under-represented one instead of the missing ones; empty without a mix.
     */
    static String namedClasses(ClassMix mix) {
        if (mix == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        List<Integer> missing = mix.missing();
        if (!missing.isEmpty()) {
            text.append("; missing: ").append(mix.missingNames());
        }
        int over = mix.mostOverRepresented();
        if (over >= 0) {
            text.append("; over-represented: ").append(shares(mix, over));
        }
        int under = missing.isEmpty() ? mix.mostUnderRepresented() : -1;
        if (under >= 0) {
            text.append("; under-represented: ").append(shares(mix, under));
        }
        return text.toString();
    }

    /** "Trouser (31 % of the samples, 10 % of the real images)". */
    private static String shares(ClassMix mix, int k) {
        return mix.names().get(k) + " (" + ClassMix.percent(mix.sampleShares()[k]) + " % of the samples, "
                + ClassMix.percent(mix.realShares()[k]) + " % of the real images)";
    }

    private static void variety(Map<String, Double> m, List<String> lines) {
        Double recall = finite(m, "recall");
        Double coverage = finite(m, "coverage");
        if ((recall != null && recall < LOW_FRACTION) || (coverage != null && coverage < LOW_FRACTION)) {
            lines.add(String.format(Locale.ROOT,
                    "low variety: the samples reach only a small part of the real data (%s)",
                    join(recall, "recall", coverage, "coverage")));
        }
        Double precision = finite(m, "precision");
        if (precision != null && precision < LOW_FRACTION) {
            lines.add(String.format(Locale.ROOT,
                    "low fidelity: only %s %% of the samples look like real data (precision)", percent(precision)));
        }
        Double diversity = finite(m, "pixelDiversity");
        if (diversity != null && diversity < COLLAPSE_DIVERSITY) {
            lines.add(String.format(Locale.ROOT,
                    "MODE COLLAPSE: the generated images differ from one another far less than real images do (pixel"
                            + " diversity %.2f; 1 = as varied as the real data), or G has not learned yet", diversity));
        } else if (diversity != null && diversity < LOW_DIVERSITY) {
            lines.add(String.format(Locale.ROOT,
                    "low variety: the generated images are more alike than real images (pixel diversity %.2f; 1 = as"
                            + " varied as the real data)", diversity));
        }
        Double ratio = finite(m, "memorisationRatio");
        if (ratio != null && ratio < COPY_RATIO) {
            lines.add(String.format(Locale.ROOT,
                    "possible copying: samples lie much closer to training images than held-out real images do"
                            + " (memorisation ratio %.2f; 1 = no copying)", ratio));
        }
    }

    private static void discriminator(Map<String, Double> m, List<String> lines) {
        Double auc = finite(m, "dRocAuc");
        if (auc == null) {
            return;
        }
        if (auc >= EASY_AUC) {
            lines.add(String.format(Locale.ROOT,
                    "the discriminator (D fixed) tells generated from real samples easily (ROC AUC %.2f; 0.5 ="
                            + " chance, 1 = always)", auc));
        } else if (auc < BELOW_CHANCE_AUC) {
            lines.add(String.format(Locale.ROOT,
                    "the discriminator (D fixed) rates generated samples as more real than real ones (ROC AUC %.2f,"
                            + " below 0.5 = chance): G fools it", auc));
        } else if (auc <= CHANCE_AUC) {
            lines.add(String.format(Locale.ROOT,
                    "the discriminator (D fixed) cannot tell generated from real samples (ROC AUC %.2f; 0.5 ="
                            + " chance): G fools it, or D is weak", auc));
        } else {
            lines.add(String.format(Locale.ROOT,
                    "the discriminator (D fixed) tells generated from real samples in part (ROC AUC %.2f; 0.5 ="
                            + " chance, 1 = always)", auc));
        }
    }

    private static String join(Double a, String aName, Double b, String bName) {
        List<String> parts = new ArrayList<>();
        if (a != null) {
            parts.add(String.format(Locale.ROOT, "%s %.2f", aName, a));
        }
        if (b != null) {
            parts.add(String.format(Locale.ROOT, "%s %.2f", bName, b));
        }
        return String.join(", ", parts) + "; 1 = all of it";
    }

    private static Double finite(Map<String, Double> m, String key) {
        Double value = m.get(key);
        return value != null && Double.isFinite(value) ? value : null;
    }
}
