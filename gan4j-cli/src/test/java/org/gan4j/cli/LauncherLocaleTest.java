package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher starts Java with a UTF-8 locale when the caller's is not (LANG=C or POSIX: containers, cron, ssh), since
 * Java encodes file names in the locale's character set: under C an image named {@code ünïcödé.png} could not be
 * opened and was skipped as unreadable. A UTF-8 locale is left as it is.
 */
class LauncherLocaleTest {

    @TempDir Path temp;

    @Test
    void aCOrPosixLocaleBecomesUtf8ForJava() throws Exception {
        assertThat(launch(Map.of("LANG", "C", "LC_ALL", "C"))).contains("LC_ALL=C.UTF-8");
        assertThat(launch(Map.of("LANG", "POSIX"))).contains("LC_ALL=C.UTF-8");
        assertThat(launch(Map.of())).contains("LC_ALL=C.UTF-8");
    }

    @Test
    void aUtf8LocaleIsKept() throws Exception {
        assertThat(launch(Map.of("LANG", "C.UTF-8"))).contains("LC_ALL=<unset>").contains("LANG=C.UTF-8");
    }

    /** Runs {@code gan4j info} through the launcher and returns the locale variables java was started with. */
    private String launch(Map<String, String> env) throws Exception {
        LauncherCopy.Run run =
                LauncherCopy.create(temp.resolve("run-" + env.hashCode()),
                                "echo \"LC_ALL=${LC_ALL-<unset>}\"; echo \"LANG=${LANG-<unset>}\"\n")
                        .info(name -> name.equals("LANG") || name.startsWith("LC_"), env);
        assertThat(run.code()).isZero();
        return run.out();
    }
}
