package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's links to a section of a page under docs/ ({@code docs/EVALUATION.md#reading-the-verdict}) lead to a
 * heading of that page. The emoji steps linked {@code #a-labelled-emoji-reference-colour-metrics-offline}, a section
 * that the script, the config and the test named too but that was never written.
 */
class DocsAnchorsTest {

    private static final Pattern LINK = Pattern.compile("\\]\\((docs/[A-Za-z0-9_.-]+\\.md)#([^)\\s]+)\\)");

    @Test
    void theReadmesSectionLinksLeadToHeadings() throws IOException {
        Path root = Path.of("..");
        String readme = Files.readString(root.resolve("README.md"));
        Matcher link = LINK.matcher(readme);
        List<String> broken = new ArrayList<>();
        int links = 0;
        while (link.find()) {
            links++;
            if (!anchors(root.resolve(link.group(1))).contains(link.group(2))) {
                broken.add(link.group(1) + "#" + link.group(2));
            }
        }
        assertThat(links).isPositive();
        assertThat(broken).as("links without a heading").isEmpty();
    }

    /**
     * The sections of docs/PERFORMANCE.md that the launcher, its oneDNN library and {@code bench/summarize.py} send the
     * reader to, by name, are headings of that page (and the files still name them).
     */
    @Test
    void theSectionsThatScriptsNameAreHeadings() throws IOException {
        Path root = Path.of("..");
        List<String> headings = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve("docs/PERFORMANCE.md"))) {
            if (line.startsWith("#")) {
                headings.add(line.replaceFirst("^#+\\s*", "").strip());
            }
        }
        String[][] references = {
            {"gan4j", "The JVM's garbage collector"},
            {"bench/summarize.py", "Machines that hide their cache sizes"},
            {"gan4j", "Machines that hide their cache sizes"},
            {"gan4j-cli/src/main/native/onednn_cache_sizes.c", "Machines that hide their cache sizes"},
            {"bench/run.sh", "docs/PERFORMANCE.md"},
        };
        for (String[] reference : references) {
            assertThat(Files.readString(root.resolve(reference[0]))).as(reference[0]).contains(reference[1]);
        }
        assertThat(headings).anyMatch(heading -> heading.startsWith("The JVM's garbage collector"))
                .anyMatch(heading -> heading.equals("Machines that hide their cache sizes"));
    }

    /**
     * Runs A–AP and the lists of what was tried moved to docs/PERFORMANCE-HISTORY.md (2 December): the performance
     * page and the README link to it, and the section the PyTorch reference script names for its choice is there.
     */
    @Test
    void thePerformanceHistoryIsLinkedAndHasTheSectionsNamedElsewhere() throws IOException {
        Path root = Path.of("..");
        Path history = root.resolve("docs/PERFORMANCE-HISTORY.md");
        assertThat(Files.readString(root.resolve("docs/PERFORMANCE.md"))).contains("](PERFORMANCE-HISTORY.md)");
        assertThat(Files.readString(root.resolve("README.md"))).contains("](docs/PERFORMANCE-HISTORY.md)");
        assertThat(Files.readString(root.resolve("bench/torch_bench.py")))
                .contains("docs/PERFORMANCE-HISTORY.md, \"After run V\"");
        List<String> headings = Files.readAllLines(history).stream().filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").strip()).toList();
        assertThat(headings).anyMatch(heading -> heading.startsWith("After run V:"))
                .anyMatch(heading -> heading.startsWith("Run G "))
                .anyMatch(heading -> heading.startsWith("Run A:"));
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
