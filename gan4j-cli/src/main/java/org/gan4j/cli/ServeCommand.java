package org.gan4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.gan4j.Gan4jException;
import org.gan4j.report.ReportServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gan4j serve}: browses runs (finished or still training) in the browser until Ctrl-C. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the run pages of a folder of runs (or of one run) over HTTP, updated live while runs train.",
            "Listens on 127.0.0.1 only unless --bind says otherwise. Stop with Ctrl-C."
        },
        footer = {"", "Examples:", "  gan4j serve runs/", "  gan4j serve runs/ --port 9000 --bind 0.0.0.0"})
public final class ServeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A folder of run directories, or one run directory.")
    Path directory;

    @Option(names = "--port", paramLabel = "P", description = "Port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port = DashboardOptions.DEFAULT_PORT;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String bind = ReportServer.DEFAULT_BIND;

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isDirectory(directory)) {
            throw new Gan4jException(directory + " is not a folder (expected a folder of runs, e.g. runs/)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (ReportServer server = ReportServer.start(directory, bind, port)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "gan4j-serve-stop"));
            spec.commandLine().getOut().println("serving " + directory.toAbsolutePath().normalize() + " at " + server.url()
                    + "  (Ctrl-C to stop)");
            spec.commandLine().getOut().flush();
            stopped.await();
        }
        return 0;
    }
}
