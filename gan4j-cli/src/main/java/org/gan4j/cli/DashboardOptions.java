package org.gan4j.cli;

import java.io.PrintWriter;
import org.gan4j.report.ReportServer;
import org.gan4j.training.TrainingRun;
import picocli.CommandLine.Option;

/** The {@code --dashboard [--port P] [--bind ADDR]} options of {@code gan4j train}. */
public final class DashboardOptions {

    /** Default dashboard port. */
    public static final int DEFAULT_PORT = 8080;

    @Option(names = "--dashboard", description = "Serve a live page of this run on http://127.0.0.1:PORT/ while it trains.")
    boolean enabled;

    @Option(names = "--port", paramLabel = "P", description = "Dashboard port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port = DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Dashboard address (default ${DEFAULT-VALUE}: this machine only).")
    String bind = ReportServer.DEFAULT_BIND;

    /**
     * Checks {@code --port} and {@code --bind} when {@code --dashboard} was given, before a run directory exists.
     */
    void check() {
        if (enabled) {
            ReportServer.checkAddress(bind, port);
        }
    }

    /**
     * Starts the dashboard for a run when {@code --dashboard} was given, and prints its address.
     *
     * @param run the run about to train
     * @param console where to print the address
     * @return the server, or null without {@code --dashboard}
     */
    ReportServer start(TrainingRun run, PrintWriter console) {
        if (!enabled) {
            return null;
        }
        ReportServer server = ReportServer.start(run.runDirectory().root(), bind, port);
        console.println("dashboard: " + server.url());
        console.flush();
        return server;
    }
}
