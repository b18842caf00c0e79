package org.gan4j.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gan4j.Gan4jException;
import org.gan4j.io.AtomicFiles;
import org.gan4j.io.IoFailures;
import org.gan4j.io.Json;

/**
 * Renders run reports as one self-contained HTML file: data, images, the bundled uPlot chart library, styles and
 * scripts are all inline, so the file opens from disk with no network.
 *
 * <p>The same page serves the live dashboard ({@link ReportServer}): there the model carries a {@code live} section
 * and the page polls the server for fresh data instead of reading only its inline copy.
 */
public final class HtmlReport {

    /** Package folder in the jar that holds uPlot and the page's own script and styles. */
    public static final String RESOURCE_FOLDER = "/org/gan4j/report/";

    private static final Map<String, String> RESOURCES = new ConcurrentHashMap<>();

    private HtmlReport() {}

    /**
     * Writes the report of one or more runs; two or more runs are compared side by side.
     *
     * @param runDirectories the run directories, in the order to show them
     * @param out the HTML file to write (atomically)
     * @return {@code out}
     * @throws Gan4jException if a folder is not a run directory or the file cannot be written
     */
    public static Path write(List<Path> runDirectories, Path out) {
        if (runDirectories.isEmpty()) {
            throw new Gan4jException("report needs at least one run directory");
        }
        ObjectNode page = page(title(runDirectories), runDirectories.stream()
                .map(dir -> RunData.read(dir, inlineImages()))
                .toList(), null);
        String html = render(page);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                AtomicFiles.createDirectories(parent);
            }
            AtomicFiles.writeString(out, html);
        } catch (IOException e) {
            throw IoFailures.wrap("cannot write report " + out, e);
        } catch (UncheckedIOException e) {
            throw IoFailures.wrap("cannot write report " + out, e.getCause());
        }
        return out;
    }

    /**
     * Builds the page model around run models.
     *
     * @param title the page title
     * @param runs run models from {@link RunData#read}
     * @param live the live section ({@code url}, {@code intervalMillis}), or null for a static report
     * @return the page model
     */
    public static ObjectNode page(String title, List<ObjectNode> runs, ObjectNode live) {
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        page.put("title", title);
        page.put("generated", Instant.now().toString());
        page.set("live", live);
        ArrayNode array = page.putArray("runs");
        // copies: the server caches each run's model, which keeps its own name
        List<ObjectNode> copies = runs.stream().map(ObjectNode::deepCopy).toList();
        distinctNames(copies);
        copies.forEach(array::add);
        return page;
    }

    /**
     * Gives runs that share a config name (every run a preset makes is called after it: ring8, grid25) their
     * folder's name instead, so that a comparison's columns and legends tell them apart; if folders share a name too,
     * a number is added.
     */
    static void distinctNames(List<ObjectNode> runs) {
        java.util.Map<String, Integer> count = new java.util.HashMap<>();
        runs.forEach(run -> count.merge(run.path("name").asText(), 1, Integer::sum));
        java.util.Set<String> used = new java.util.HashSet<>();
        for (ObjectNode run : runs) {
            String name = run.path("name").asText();
            if (count.get(name) > 1) {
                java.nio.file.Path folder = java.nio.file.Path.of(run.path("directory").asText(name)).getFileName();
                name = folder != null ? folder.toString() : name;
            }
            String unique = name;
            for (int i = 2; !used.add(unique); i++) {
                unique = name + " (" + i + ")";
            }
            run.put("name", unique);
        }
    }

    /**
     * Renders a page model as HTML with every resource inline.
     *
     * @param page the page model from {@link #page}
     * @return the HTML document
     */
    public static String render(ObjectNode page) {
        String data;
        try {
            data = Json.MAPPER.writeValueAsString(page);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report model is not serialisable", e);
        }
        StringBuilder html = new StringBuilder(data.length() + 80_000);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escapeHtml(page.path("title").asText("gan4j report"))).append("</title>\n")
                .append("<style>\n").append(resource("uPlot.min.css")).append('\n')
                .append(resource("report.css")).append("</style>\n</head>\n<body>\n")
                .append("<div id=\"app\"></div>\n")
                .append("<script type=\"application/json\" id=\"gan4j-data\">").append(escapeScript(data))
                .append("</script>\n<script>").append(escapeScript(resource("uPlot.iife.min.js")))
                .append("</script>\n<script>").append(escapeScript(resource("report.js")))
                .append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    /**
     * Returns an image linker that inlines PNG files as base64 data URIs.
     *
     * @return the linker
     */
    public static RunData.ImageLinker inlineImages() {
        return (file, relative) -> {
            try {
                return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new Gan4jException("cannot read image " + file + ": " + e.getMessage(), e);
            }
        };
    }

    /**
     * Returns a resource of the report package as text (cached).
     *
     * @param name the file name under {@link #RESOURCE_FOLDER}
     * @return its text
     * @throws IllegalStateException if the resource is missing from the jar (a broken build)
     */
    static String resource(String name) {
        return RESOURCES.computeIfAbsent(name, key -> {
            try (InputStream in = HtmlReport.class.getResourceAsStream(RESOURCE_FOLDER + key)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE_FOLDER + key
                            + " is missing from the classpath; the gan4j-core build bundles it (see src/build/fetch-uplot.sh)");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String title(List<Path> runs) {
        StringBuilder title = new StringBuilder("gan4j report: ");
        for (int i = 0; i < runs.size(); i++) {
            Path name = runs.get(i).toAbsolutePath().normalize().getFileName();
            title.append(i == 0 ? "" : " vs ").append(name == null ? runs.get(i).toString() : name.toString());
        }
        return title.toString();
    }

    /**
     * Escapes text for an HTML element body.
     *
     * @param text any text
     * @return the escaped text
     */
    static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Keeps inline script text from closing its {@code <script>} element early. */
    private static String escapeScript(String text) {
        return text.replace("</", "<\\/").replace("<!--", "<\\!--");
    }
}
