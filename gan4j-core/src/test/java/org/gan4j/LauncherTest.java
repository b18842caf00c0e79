package org.gan4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The words of commands gan4j prints for the user to copy ("continue with: ./gan4j train --resume RUN"): a shell reads
 * each back as the path it was. A run folder named {@code demo #1} came out unquoted, and the copied command resumed
 * "demo" (the rest was a comment).
 */
class LauncherTest {

    private static final List<String> WORDS = List.of(
            "runs/dcgan-fashion-mnist", "/tmp/demo #1/toy", "my runs/a", "it's", "a'b'c", "$HOME", "`date`", "*", "~x",
            "", "tab\there", "new\nline", "é/ü", "a;b", "--set=x", "\\back", "\"q\"", "!bang");

    @Test
    void bashReadsEveryWordBackAsItWas() throws Exception {
        StringBuilder script = new StringBuilder("printf '%s\\0'");
        for (String word : WORDS) {
            script.append(' ').append(Launcher.shellWord(word));
        }
        Process bash = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
        byte[] out = bash.getInputStream().readAllBytes();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).isZero();
        List<String> read = new ArrayList<>(List.of(new String(out, StandardCharsets.UTF_8).split("\0", -1)));
        read.remove(read.size() - 1);
        assertThat(read).containsExactlyElementsOf(WORDS);
    }

    @Test
    void plainPathsStayAsTheyAre() {
        assertThat(Launcher.shellWord("runs/dcgan-fashion-mnist")).isEqualTo("runs/dcgan-fashion-mnist");
        assertThat(Launcher.shellWord(java.nio.file.Path.of("/tmp/a_b.c/x=1,y@2+3%4:5")))
                .isEqualTo("/tmp/a_b.c/x=1,y@2+3%4:5");
        assertThat(Launcher.shellWord("/tmp/demo #1/toy")).isEqualTo("'/tmp/demo #1/toy'");
        assertThat(Launcher.shellWord("it's")).isEqualTo("'it'\\''s'");
        assertThat(Launcher.shellWord("")).isEqualTo("''");
    }

    /** Single quotes, read back the way a POSIX shell reads them, give the word for any text at all. */
    @Property
    void quotingRoundTrips(@ForAll String word) {
        assertThat(unquote(Launcher.shellWord(word))).isEqualTo(word);
    }

    /** A POSIX shell's reading of one word made of bare characters, single-quoted runs and backslash escapes. */
    private static String unquote(String word) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '\\' && !quoted) {
                out.append(word.charAt(++i));
            } else {
                assertThat(quoted || String.valueOf(c).matches("[A-Za-z0-9_./:=@%+,-]")).as("bare %s", c).isTrue();
                out.append(c);
            }
        }
        assertThat(quoted).as("unterminated quote").isFalse();
        return out.toString();
    }
}
