package org.gan4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gan4j.Gan4jException;
import org.gan4j.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gan4j report}: writes a self-contained HTML report of one run, or compares several. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write one self-contained HTML file (opens from disk, no network) about a run, or comparing several runs.",
            // one string per paragraph: picocli wraps each element on its own
            "It shows the summary, config diff, loss and D(x)/D(G(z)) curves, evaluation metrics with the best checkpoint,"
                + " the class mix over training (each class's share of the samples against its real share), warnings"
                + " and the sample grids over time."
        },
        footer = {
            "",
            "Examples:",
            "  gan4j report runs/dcgan-fashion-mnist            (writes runs/dcgan-fashion-mnist/report.html)",
            "  gan4j report runs/a runs/b                       (writes runs/a/compare.html; runs/a/report.html stays)",
            "  gan4j report runs/a runs/b --out compare.html"
        })
public final class ReportCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories; two or more are compared side by side.")
    List<Path> runs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "HTML file to write (default: the first run's report.html, or its compare.html for several runs).")
    Path out;

    @Override
    public Integer call() {
        // a comparison does not replace the first run's own report
        if (out != null) {
            RunFiles.check("--out", out);
        }
        checkDistinct(runs);
        Path target = out != null ? out : runs.get(0).resolve(runs.size() > 1 ? "compare.html" : "report.html");
        HtmlReport.write(runs, target);
        spec.commandLine().getOut().println("report: " + target.toAbsolutePath().normalize());
        return 0;
    }

    /** A run named twice (runs/a and runs/a/, or a link to it) would be compared with itself: a typo, not a request. */
    static void checkDistinct(List<Path> runs) {
        Map<Path, Path> seen = new HashMap<>();
        for (Path run : runs) {
            Path key = run.toAbsolutePath().normalize();
            try {
                key = key.toRealPath();
            } catch (IOException e) {
                // a folder that is not there is reported by the report itself
            }
            Path earlier = seen.putIfAbsent(key, run);
            if (earlier != null) {
                throw new Gan4jException("RUN_DIR " + run + (earlier.toString().equals(run.toString())
                        ? " is given twice" : " is the same run as " + earlier)
                        + "; a comparison needs different run directories");
            }
        }
    }
}
