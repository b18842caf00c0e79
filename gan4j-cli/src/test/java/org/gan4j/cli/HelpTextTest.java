package org.gan4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The --help texts: picocli wraps each description element on its own, so one element must be one paragraph. */
class HelpTextTest {

    private static void collect(CommandLine command, List<String> broken) {
        for (String line : command.getCommandSpec().usageMessage().description()) {
            String text = line.strip().replaceAll("%n$", "");
            // a paragraph ends a sentence (or introduces a list); anything else is a sentence split over two elements,
            // which --help prints as a ragged half-line
            if (!text.isEmpty() && !text.matches(".*[.:)!?]$")) {
                broken.add(command.getCommandName() + ": " + text);
            }
        }
        command.getSubcommands().values().forEach(sub -> {
            if (sub != command) {
                collect(sub, broken);
            }
        });
    }

    @Test
    void everyDescriptionElementIsAWholeParagraph() {
        List<String> broken = new ArrayList<>();
        collect(Main.commandLine(), broken);
        assertThat(broken).isEmpty();
    }
}
