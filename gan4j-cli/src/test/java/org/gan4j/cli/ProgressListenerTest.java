package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gan4j.evaluation.ClassMix;
import org.gan4j.training.StepResult;
import org.junit.jupiter.api.Test;

/** The console of {@code gan4j train}: the live bar on a terminal, lines in a log, and the evaluations in both. */
class ProgressListenerTest {

    private static StepResult measured(long step) {
        return new StepResult(step, 0, true, 1.3, 0.8, 0.55, 0.45, 0.44, 0.01, 0);
    }

    /**
     * What a terminal shows after these bytes: carriage return, line feed, and the cursor moves (ESC[1A, ESC[1B) and
     * line erase (ESC[2K) the progress bar uses; other escape sequences are dropped.
     */
    static List<String> screen(String bytes) {
        List<StringBuilder> lines = new ArrayList<>(List.of(new StringBuilder()));
        int row = 0;
        int column = 0;
        for (int i = 0; i < bytes.length(); i++) {
            char c = bytes.charAt(i);
            if (c == '\u001b' && i + 1 < bytes.length() && bytes.charAt(i + 1) == '[') {
                int end = i + 2;
                while (end < bytes.length() && !Character.isLetter(bytes.charAt(end))) {
                    end++;
                }
                String code = bytes.substring(i + 2, end + 1);
                if (code.equals("1A")) {
                    row = Math.max(0, row - 1);
                } else if (code.equals("1B")) {
                    row++;
                } else if (code.equals("2K")) {
                    lines.get(row).setLength(0);
                }
                i = end;
            } else if (c == '\r') {
                column = 0;
            } else if (c == '\n') {
                row++;
                column = 0;
            } else {
                while (lines.size() <= row) {
                    lines.add(new StringBuilder());
                }
                StringBuilder line = lines.get(row);
                while (line.length() < column) {
                    line.append(' ');
                }
                if (column < line.length()) {
                    line.setCharAt(column, c);
                } else {
                    line.append(c);
                }
                column++;
            }
            while (lines.size() <= row) {
                lines.add(new StringBuilder());
            }
        }
        return lines.stream().map(StringBuilder::toString).toList();
    }

    /** A test body that drives a listener on a terminal. */
    @FunctionalInterface
    private interface OnTerminal {
        void run(ProgressListener progress) throws Exception;
    }

    /**
     * Runs {@code body} with an interactive listener whose terminal (stdout and stderr, as one terminal shows both) is
     * captured, and returns what that terminal shows afterwards.
     */
    private static List<String> onTerminal(OnTerminal body) throws Exception {
        PrintStream before = System.out;
        PrintStream beforeErr = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(terminal);
        System.setErr(terminal);
        try {
            body.run(new ProgressListener(true, new PrintWriter(new StringWriter())));
        } finally {
            System.setOut(before);
            System.setErr(beforeErr);
        }
        return screen(bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void evaluationAndWarningLinesStayOnScreenUnderTheLiveBar() throws Exception {
        List<String> screen = onTerminal(progress -> {
            progress.start(0, 100);
            for (long step = 1; step <= 100; step++) {
                progress.step(measured(step));
                if (step == 30) {
                    Thread.sleep(600);
                    progress.warning("D stopped learning at step 30: its update left D(G(z)) exactly unchanged");
                    Thread.sleep(600);
                }
                if (step % 50 == 0) {
                    // the bar redraws every 250 ms: let it draw over whatever is under it
                    Thread.sleep(600);
                    progress.evaluated(step, Map.of("fd", 12.5), "fd", step == 50);
                    Thread.sleep(600);
                }
            }
            progress.end();
        });
        assertThat(screen).as(String.join("\n", screen))
                .contains("evaluation at step 50: FD 12.5 (best fd so far: checkpoints-best/)",
                        "evaluation at step 100: FD 12.5");
        assertThat(screen).contains(
                "[WARN] AlarmListener - D stopped learning at step 30: its update left D(G(z)) exactly unchanged");
        // each evaluation follows the bar's state at its step
        int first = screen.indexOf("evaluation at step 50: FD 12.5 (best fd so far: checkpoints-best/)");
        assertThat(screen.get(first - 1)).contains(" 50/100 steps");
    }

    @Test
    void theBarAfterAnEvaluationGoesOnCountingTheSessionsElapsedTime() throws Exception {
        List<String> screen = onTerminal(progress -> {
            progress.start(0, 100);
            for (long step = 1; step <= 50; step++) {
                progress.step(measured(step));
            }
            Thread.sleep(2300);
            progress.evaluated(50, Map.of("fd", 12.5), null, false);
            for (long step = 51; step <= 60; step++) {
                progress.step(measured(step));
            }
            Thread.sleep(600);
            progress.end();
        });
        int evaluation = screen.indexOf("evaluation at step 50: FD 12.5");
        assertThat(evaluation).as(String.join("\n", screen)).isPositive();
        String after = screen.get(evaluation + 1);
        assertThat(after).as(String.join("\n", screen)).contains(" 60/100 steps");
        // the elapsed time is the session's (over 2 s), not the new bar's since the evaluation line (0:00:00)
        assertThat(after).as(String.join("\n", screen)).containsPattern("\\(0:00:0[2-9] /");
    }

    @Test
    void theStopMessageOfASignalStaysOnScreenUnderTheLiveBar() throws Exception {
        String message = "gan4j: SIGTERM received: finishing the current step and writing a checkpoint";
        List<String> screen = onTerminal(progress -> {
            progress.start(0, 100);
            for (long step = 1; step <= 40; step++) {
                progress.step(measured(step));
                if (step == 30) {
                    Thread.sleep(600);
                    // the signal handler's thread, while the training thread goes on with its step
                    Thread handler = new Thread(() -> progress.notice(message));
                    handler.start();
                    handler.join();
                }
            }
            Thread.sleep(600);
            progress.end();
        });
        assertThat(screen).as(String.join("\n", screen)).contains(message);
        assertThat(screen.get(screen.size() - 2)).as(String.join("\n", screen)).contains(" 40/100 steps");
    }

    @Test
    void withoutATerminalEvaluationsAreLinesBetweenTheProgressLines() {
        StringWriter text = new StringWriter();
        ProgressListener progress = new ProgressListener(false, new PrintWriter(text));
        progress.start(0, 40);
        for (long step = 1; step <= 40; step++) {
            progress.step(measured(step));
            if (step == 20) {
                progress.evaluated(step, Map.of("fd", 3.0), null, false);
            }
        }
        progress.end();
        List<String> lines = text.toString().lines().toList();
        int evaluation = lines.indexOf("evaluation at step 20: FD 3.00");
        assertThat(evaluation).isPositive();
        assertThat(lines.get(evaluation - 1)).startsWith("step 20/40 ");
        assertThat(lines.get(evaluation + 1)).startsWith("step 22/40 ");
    }

    @Test
    void aLineBetweenLoggedStepsSaysWhichStepItsValuesAreFrom() {
        StringWriter text = new StringWriter();
        ProgressListener progress = new ProgressListener(false, new PrintWriter(text));
        progress.start(0, 40);
        for (long step = 1; step <= 40; step++) {
            // values read back every 3rd step only, as with output.logEvery = 3
            progress.step(step % 3 == 0 ? measured(step)
                    : new StepResult(step, 0, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.01, 0));
        }
        progress.end();
        List<String> lines = text.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("step 2/40 ").doesNotContain("loss_D");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("step 6/40 ")
                .endsWith("loss_D 1.300 loss_G 0.800 D(x) 0.550 D(G(z)) 0.450/0.440"));
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("step 20/40 ")
                .endsWith("loss_D 1.300 loss_G 0.800 D(x) 0.550 D(G(z)) 0.450/0.440 (at step 18)"));
        assertThat(lines.get(lines.size() - 1)).startsWith("step 40/40 ").endsWith("(at step 39)");
    }

    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final double[] UNIFORM = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};

    private static String evaluationLine(Map<String, Double> metrics, ClassMix mix) {
        StringWriter text = new StringWriter();
        ProgressListener progress = new ProgressListener(false, new PrintWriter(text));
        progress.evaluated(200, metrics, mix, "fd", true);
        return text.toString().strip();
    }

    /** A collapsed class mix names its classes on the evaluation line; a balanced one (class KL ≤ 0.15) does not. */
    @Test
    void anEvaluationLineNamesTheClassesOfACollapsedMixOnly() {
        // 100 samples: Trouser, Sandal and Bag none, Shirt 44
        ClassMix collapsed = ClassMix.of(new long[] {5, 0, 10, 10, 10, 0, 44, 10, 0, 11}, UNIFORM, FASHION);
        Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        metrics.put("fd", 209.2);
        metrics.put("classesCovered", 7.0);
        metrics.put("classKl", 0.62);
        metrics.put("dRocAuc", 0.99);
        assertThat(evaluationLine(metrics, collapsed)).isEqualTo("evaluation at step 200: FD 209.2, classes 7 of 10,"
                + " class KL 0.620 (missing: Trouser, Sandal, Bag; most over-represented: Shirt 44 %, real 10 %),"
                + " D's ROC AUC 0.990 (best fd so far: checkpoints-best/)");
        // partial collapse (0.15 < KL ≤ 0.5) with every class present: the most over-represented one alone
        ClassMix uneven = ClassMix.of(new long[] {9, 3, 10, 10, 10, 9, 25, 10, 5, 9}, UNIFORM, FASHION);
        metrics.put("classesCovered", 10.0);
        metrics.put("classKl", 0.2);
        assertThat(evaluationLine(metrics, uneven)).contains(
                "classes 10 of 10, class KL 0.200 (most over-represented: Shirt 25 %, real 10 %), D's");

        // at or below the verdict's uneven threshold: the line the evaluation printed before, nothing more
        ClassMix balanced = ClassMix.of(new long[] {10, 9, 11, 10, 10, 10, 12, 8, 10, 10}, UNIFORM, FASHION);
        metrics.put("classKl", 0.01);
        String plain = "evaluation at step 200: FD 209.2, classes 10, class KL 0.0100, D's ROC AUC 0.990 (best fd so"
                + " far: checkpoints-best/)";
        assertThat(evaluationLine(metrics, balanced)).isEqualTo(plain);
        metrics.put("classKl", org.gan4j.evaluation.Verdict.UNEVEN_CLASS_KL);
        assertThat(evaluationLine(metrics, collapsed)).doesNotContain("missing", "over-represented", " of 10");
        // a high class KL without a mix (an evaluation that has none): no names to give
        metrics.put("classKl", 0.62);
        assertThat(evaluationLine(metrics, null)).doesNotContain("missing", "over-represented", " of 10");
    }
}
