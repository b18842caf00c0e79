package org.gan4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.gan4j.Gan4jException;
import org.gan4j.io.Json;
import org.gan4j.io.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: an HTTP server (JDK built-in, bound to loopback unless asked otherwise) that serves the report
 * page of one run, or of every run under a folder, and keeps it current as training writes files.
 *
 * <p>The server only reads the run directory, so training pays nothing for it but disk reads on a low-priority
 * thread. Pages poll {@code /api/page.json} (answered with {@code 304 Not Modified} while nothing changed), so a
 * closed and reopened browser, or a restarted server, simply resumes. Routes:
 * <ul>
 *   <li>{@code /} the run's page (single run) or an index of runs (folder of runs)
 *   <li>{@code /run/NAME/} one run's page; {@code /compare?run=A&run=B} runs side by side
 *   <li>{@code /api/page.json?run=NAME...} the page model with progress and ETA
 *   <li>{@code /files/NAME/samples/*.png}, {@code /files/NAME/plots/*.png} images
 * </ul>
 */
public final class ReportServer implements AutoCloseable {

    /** Default address: loopback only. */
    public static final String DEFAULT_BIND = "127.0.0.1";

    /** How often pages poll for fresh data, in milliseconds. */
    public static final int POLL_MILLIS = 2000;

    /** A run whose metrics were written less than this long ago counts as training. */
    public static final long ACTIVE_MILLIS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(ReportServer.class);
    private static final String IMAGE_PATH = "(samples|plots)/[A-Za-z0-9._-]+\\.png";
    private static final String NAME = "[A-Za-z0-9._-]+";

    private final Path root;
    private final boolean singleRun;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, CachedRun> cache = new ConcurrentHashMap<>();

    private ReportServer(Path root, boolean singleRun, HttpServer server, ExecutorService executor) {
        this.root = root;
        this.singleRun = singleRun;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving a run directory, or a folder whose subfolders are run directories.
     *
     * @param path a run directory (holds {@code run.json}) or a folder of runs; it may not exist yet only when it
     *     is about to be created by training, in which case it is served as a single run
     * @param bindAddress the address to listen on, for example {@value #DEFAULT_BIND}
     * @param port the port; 0 picks any free port
     * @return the running server
     * @throws Gan4jException if the address is unknown or the port is taken
     */
    public static ReportServer start(Path path, String bindAddress, int port) {
        Path root = path.toAbsolutePath().normalize();
        boolean singleRun = RunData.isRunDirectory(root) || !Files.isDirectory(root);
        InetSocketAddress address = address(bindAddress, port);
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw cannotListen(bindAddress, port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "gan4j-dashboard-" + threads.incrementAndGet());
            thread.setDaemon(true);
            thread.setPriority(Thread.MIN_PRIORITY);
            return thread;
        });
        server.setExecutor(executor);
        ReportServer reportServer = new ReportServer(root, singleRun, server, executor);
        server.createContext("/", reportServer::handle);
        server.start();
        LOG.info("dashboard for {} at {}", root, reportServer.url());
        return reportServer;
    }

    /**
     * Checks {@code --bind} and {@code --port} before a command does anything else (a training run is created only
     * once its dashboard can start): the port in range, the address known, and the port free right now.
     *
     * @param bindAddress the address to listen on
     * @param port the port, 0 for any free one
     * @throws Gan4jException one line naming the option and what to change
     */
    public static void checkAddress(String bindAddress, int port) {
        InetSocketAddress address = address(bindAddress, port);
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(address);
        } catch (IOException e) {
            throw cannotListen(bindAddress, port, e);
        }
    }

    private static InetSocketAddress address(String bindAddress, int port) {
        if (port < 0 || port > 65_535) {
            throw new Gan4jException("--port must be 0 (any free port) to 65535, got " + port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(bindAddress), port);
        } catch (UnknownHostException e) {
            throw new Gan4jException("--bind " + bindAddress + " is not a known address (use an IP such as 127.0.0.1)", e);
        }
    }

    private static Gan4jException cannotListen(String bindAddress, int port, IOException e) {
        return new Gan4jException("cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage()
                + " (choose another --port, or --port 0 for any free one)", e);
    }

    /**
     * Returns the address of the start page.
     *
     * @return for example {@code http://127.0.0.1:8080/}
     */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + address.getPort() + "/");
    }

    /**
     * Returns the port the server listens on (useful after asking for port 0).
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Number of {@code /api/page.json} requests answered: a live page polls it every 2 seconds. */
    private final java.util.concurrent.atomic.AtomicLong pageRequests = new java.util.concurrent.atomic.AtomicLong();
    /** {@link System#nanoTime()} of the last {@code /api/page.json} request. */
    private volatile long lastPageRequest = Long.MIN_VALUE;

    /**
     * When a live page is open (it asked for updates in the last 10 seconds), waits until it has asked once more, so
     * that it shows the run's final state before the server goes away, but at most {@code maxMillis}.
     *
     * @param maxMillis the longest wait
     * @return whether an open page fetched the final state
     */
    public boolean lingerForViewers(long maxMillis) {
        if (lastPageRequest == Long.MIN_VALUE || System.nanoTime() - lastPageRequest > TimeUnit.SECONDS.toNanos(10)) {
            return false;
        }
        long seen = pageRequests.get();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (pageRequests.get() == seen && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return pageRequests.get() != seen;
    }

    /** Stops the server at once and releases its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "only GET".getBytes(StandardCharsets.UTF_8), null);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            try {
                if (path.equals("/api/page.json")) {
                    pageJson(exchange, query.getOrDefault("run", List.of()));
                } else if (path.startsWith("/files/")) {
                    file(exchange, path.substring("/files/".length()));
                } else if (path.equals("/") && !singleRun) {
                    send(exchange, 200, "text/html; charset=utf-8", index().getBytes(StandardCharsets.UTF_8), null);
                } else if (path.equals("/") || path.equals("/compare") || path.matches("/run/" + NAME + "/?")) {
                    List<String> names = path.startsWith("/run/")
                            ? List.of(path.substring(5).replace("/", ""))
                            : query.getOrDefault("run", List.of());
                    livePage(exchange, names);
                } else {
                    send(exchange, 404, "text/plain", ("not found: " + path).getBytes(StandardCharsets.UTF_8), null);
                }
            } catch (Gan4jException e) {
                send(exchange, 404, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8), null);
            } catch (RuntimeException e) {
                LOG.warn("dashboard request {} failed", path, e);
                send(exchange, 500, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8), null);
            }
        }
    }

    private void livePage(HttpExchange exchange, List<String> names) throws IOException {
        List<String> resolved = resolveNames(names);
        ObjectNode page = page(resolved);
        send(exchange, 200, "text/html; charset=utf-8", HtmlReport.render(page).getBytes(StandardCharsets.UTF_8), null);
    }

    private void pageJson(HttpExchange exchange, List<String> names) throws IOException {
        lastPageRequest = System.nanoTime();
        List<String> resolved = resolveNames(names);
        StringBuilder tag = new StringBuilder();
        for (String name : resolved) {
            tag.append(name).append(':').append(signature(runPath(name))).append(';');
        }
        String etag = "\"" + Integer.toHexString(tag.toString().hashCode()) + "-" + tag.length() + "\"";
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (etag.equals(ifNoneMatch)) {
            exchange.getResponseHeaders().set("ETag", etag);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(304, -1);
            pageRequests.incrementAndGet();
            return;
        }
        byte[] body = Json.MAPPER.writeValueAsBytes(page(resolved));
        send(exchange, 200, "application/json", body, etag);
        pageRequests.incrementAndGet();
    }

    private ObjectNode page(List<String> names) {
        List<ObjectNode> runs = new ArrayList<>();
        for (String name : names) {
            runs.add(run(name));
        }
        ObjectNode live = JsonNodeFactory.instance.objectNode();
        StringBuilder url = new StringBuilder("/api/page.json");
        for (int i = 0; i < names.size(); i++) {
            url.append(i == 0 ? '?' : '&').append("run=").append(URLEncoder.encode(names.get(i), StandardCharsets.UTF_8));
        }
        live.put("url", url.toString());
        live.put("intervalMillis", POLL_MILLIS);
        String title = "gan4j dashboard: " + String.join(" vs ", names);
        return HtmlReport.page(title, runs, live);
    }

    /** Reads a run (cached until its files change) and adds progress: state, steps per second, ETA. */
    private ObjectNode run(String name) {
        Path dir = runPath(name);
        String signature = signature(dir);
        CachedRun cached = cache.computeIfAbsent(name, key -> new CachedRun());
        synchronized (cached) {
            if (!signature.equals(cached.signature) || cached.model == null) {
                if (!RunData.isRunDirectory(dir)) {
                    cached.model = waitingRun(name, dir);
                } else {
                    String prefix = "/files/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/";
                    cached.model = RunData.read(dir, (file, relative) -> prefix + relative);
                }
                cached.signature = signature;
                long step = cached.model.path("summary").path("lastStep").asLong(0);
                cached.observations.addLast(new long[] {System.nanoTime(), step});
                while (cached.observations.size() > 30) {
                    cached.observations.removeFirst();
                }
            }
            ObjectNode model = cached.model.deepCopy();
            model.set("progress", progress(dir, model, cached.observations));
            return model;
        }
    }

    private static ObjectNode waitingRun(String name, Path dir) {
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("name", name);
        model.put("directory", dir.toString());
        model.putObject("summary").put("lastStep", 0);
        model.putObject("metrics").putArray("step");
        model.putArray("warnings");
        model.putObject("evaluation").putArray("step");
        ((ObjectNode) model.get("evaluation")).putObject("series");
        model.putArray("samples");
        model.putNull("real");
        model.putArray("scatter");
        model.putArray("checkpoints");
        return model;
    }

    private static ObjectNode progress(Path dir, JsonNode model, Deque<long[]> observations) {
        ObjectNode progress = JsonNodeFactory.instance.objectNode();
        JsonNode summary = model.path("summary");
        long step = summary.path("lastStep").asLong(0);
        long target = summary.path("targetSteps").asLong(0);
        // a session capped by --max-steps ends at its cap: the progress and its ETA run to it (the config's step
        // count still decides whether the run is finished)
        long end = summary.path("maxSteps").asLong(0) > 0 ? summary.path("maxSteps").asLong() : target;
        progress.put("step", step);
        progress.put("target", end);
        long sinceWrite = millisSinceWrite(dir.resolve("metrics.jsonl"));
        String state;
        if (target > 0 && step >= target) {
            state = "finished";
        } else if (trainedNow(dir) || sinceWrite < ACTIVE_MILLIS) {
            // a live process's marker covers an evaluation (or slow steps) that writes no metrics for a while
            state = "training";
        } else if (step == 0) {
            state = "starting";
        } else {
            state = "stopped";
        }
        progress.put("state", state);
        double rate = Double.NaN;
        if (observations.size() >= 2) {
            long[] first = observations.peekFirst();
            long[] lastSeen = observations.peekLast();
            double seconds = (lastSeen[0] - first[0]) / 1e9;
            if (seconds > 0 && lastSeen[1] > first[1]) {
                rate = (lastSeen[1] - first[1]) / seconds;
            }
        }
        if (!(rate > 0)) {
            rate = summary.path("stepsPerSecond").asDouble(Double.NaN);
        }
        if (rate > 0) {
            progress.put("stepsPerSecond", rate);
            if (end > step) {
                progress.put("etaSeconds", (end - step) / rate);
            }
        }
        return progress;
    }

    /**
     * Whether a process on this machine is training the run now: its {@link RunDirectory#TRAINING_MARKER} names a
     * live process of this host (a marker left by a killed process, or written on another machine, does not count).
     */
    static boolean trainedNow(Path dir) {
        Path marker = dir.resolve(RunDirectory.TRAINING_MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try {
            JsonNode content = Json.MAPPER.readTree(marker.toFile());
            long pid = content.path("pid").asLong(-1);
            return pid > 0 && org.gan4j.training.TrainingRun.hostName().equals(content.path("host").asText(null))
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long millisSinceWrite(Path file) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Cheap change detector: sizes and modification times of the files and folders a page shows. */
    private static String signature(Path dir) {
        StringBuilder signature = new StringBuilder();
        for (String child : new String[] {"run.json", "metrics.jsonl", "samples", "plots", "eval", "checkpoints"}) {
            Path path = dir.resolve(child);
            try {
                signature.append(Files.size(path)).append('@').append(Files.getLastModifiedTime(path).toMillis()).append(',');
            } catch (IOException e) {
                signature.append("-,");
            }
        }
        return signature.toString();
    }

    private void file(HttpExchange exchange, String rest) throws IOException {
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new Gan4jException("no such file");
        }
        String name = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
        String relative = rest.substring(slash + 1);
        if (!relative.matches(IMAGE_PATH)) {
            throw new Gan4jException("not a run image: " + relative);
        }
        Path file = runPath(name).resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new Gan4jException("no such file: " + relative);
        }
        exchange.getResponseHeaders().set("Cache-Control", "max-age=60");
        send(exchange, 200, "image/png", Files.readAllBytes(file), null);
    }

    private List<String> resolveNames(List<String> names) {
        if (!names.isEmpty()) {
            names.forEach(this::runPath);
            // a run named twice in a hand-edited /compare address is shown once, not compared with itself
            return names.stream().distinct().toList();
        }
        if (singleRun) {
            return List.of(singleName());
        }
        List<String> all = runNames();
        if (all.isEmpty()) {
            throw new Gan4jException("no run directories under " + root);
        }
        return List.of(all.get(all.size() - 1));
    }

    private String singleName() {
        Path name = root.getFileName();
        return name == null ? "run" : name.toString();
    }

    private Path runPath(String name) {
        if (!name.matches(NAME)) {
            throw new Gan4jException("not a run name: " + name);
        }
        if (singleRun) {
            if (!name.equals(singleName())) {
                throw new Gan4jException("no run named " + name);
            }
            return root;
        }
        Path dir = root.resolve(name);
        if (!RunData.isRunDirectory(dir)) {
            throw new Gan4jException("no run named " + name + " under " + root);
        }
        return dir;
    }

    private List<String> runNames() {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(RunData::isRunDirectory)
                    .map(path -> path.getFileName().toString())
                    .filter(name -> name.matches(NAME))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new Gan4jException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private String index() {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>gan4j runs</title><style>")
                .append(HtmlReport.resource("report.css"))
                .append("</style></head><body><h1>gan4j runs</h1><p class=\"subtitle\">")
                .append(HtmlReport.escapeHtml(root.toString()))
                .append(" · open a run, or tick several and compare them</p><form action=\"/compare\" method=\"get\" class=\"card\">")
                .append("<table class=\"facts\" id=\"runs\"><thead><tr><th></th><th>run</th><th>state</th><th>step</th>")
                .append("<th>loss D</th><th>loss G</th><th>D(x)</th><th>D(G(z))</th><th>last write</th></tr></thead><tbody>");
        for (String name : runNames()) {
            ObjectNode run;
            try {
                run = run(name);
            } catch (Gan4jException e) {
                continue;
            }
            JsonNode metrics = run.path("metrics");
            JsonNode summary = run.path("summary");
            String escaped = HtmlReport.escapeHtml(name);
            html.append("<tr><td><input type=\"checkbox\" name=\"run\" value=\"").append(escaped).append("\"></td>")
                    .append("<td><a href=\"/run/").append(escaped).append("/\">").append(escaped).append("</a></td>")
                    .append("<td>").append(run.path("progress").path("state").asText()).append("</td>")
                    .append("<td>").append(summary.path("lastStep").asLong()).append(" / ").append(summary.path("targetSteps").asLong())
                    .append(summary.has("maxSteps") ? " (--max-steps " + summary.path("maxSteps").asLong() + ")" : "")
                    .append("</td>");
            for (String key : new String[] {"lossD", "lossG", "dReal", "dFake"}) {
                html.append("<td>").append(lastValue(metrics.path(key))).append("</td>");
            }
            html.append("<td>").append(HtmlReport.escapeHtml(readableTime(summary.path("lastWrite").asText("–")))).append("</td></tr>");
        }
        html.append("</tbody></table><p><button type=\"submit\">Compare selected</button></p></form></body></html>\n");
        return html.toString();
    }

    /**
     * An ISO-8601 instant to the second, as people read it ({@code 2026-12-01 00:21:44 UTC}): the raw value, with
     * nanoseconds, wrapped over three lines of the index's "last write" column. Anything else is returned as it is.
     */
    static String readableTime(String iso) {
        try {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", java.util.Locale.ROOT)
                    .withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.parse(iso));
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    private static String lastValue(JsonNode values) {
        for (int i = values.size() - 1; i >= 0; i--) {
            if (values.get(i).isNumber()) {
                return String.format(java.util.Locale.ROOT, "%.3f", values.get(i).asDouble());
            }
        }
        return "–";
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, String etag) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (!exchange.getResponseHeaders().containsKey("Cache-Control")) {
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
        }
        if (etag != null) {
            exchange.getResponseHeaders().set("ETag", etag);
        }
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A run's model as last read, the signature it was read at, and (time, step) observations for the rate. */
    private static final class CachedRun {
        private String signature;
        private ObjectNode model;
        private final Deque<long[]> observations = new ArrayDeque<>();
    }
}
