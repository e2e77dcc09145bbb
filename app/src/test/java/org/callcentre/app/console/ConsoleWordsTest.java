package org.callcentre.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.callcentre.dialler.LeadHistory;
import org.junit.jupiter.api.Test;

/** The console says every kind of the lead's history in words: none shows as its code. */
class ConsoleWordsTest {

    @Test
    void everyHistoryKindHasItsWords() throws IOException {
        String script;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("static/console/console.js")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher words = Pattern.compile("const HISTORY_WORDS = \\{(.*?)};", Pattern.DOTALL).matcher(script);
        assertThat(words.find()).as("HISTORY_WORDS in console.js").isTrue();
        for (LeadHistory.Kind kind : LeadHistory.Kind.values()) {
            assertThat(words.group(1)).as(kind.name()).containsPattern("\\b" + kind.name() + ": '[a-z][^']*'");
        }
    }
}
