package org.gan4j.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one shared, configured Jackson mapper of gan4j; other packages may reuse it.
 *
 * <p>Configuration: non-finite doubles are written as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"} and read back from those strings (and from bare {@code NaN} tokens); map entries keep their
 * insertion order; unknown properties are not an error here (strict config checking lives in the config loader).
 * No modules are registered: write {@link java.time.Instant}s as {@code toString()} text. The mapper is thread-safe once configured: do not
 * reconfigure it.
 */
public final class Json {

    /** The shared mapper. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    /**
     * Describes a JSON syntax error for a one-line message: where it is and what is wrong, without Jackson's
     * "[Source: REDACTED ...]" location blocks.
     *
     * @param e the parse failure
     * @return for example {@code line 1, column 13: Unexpected end-of-input: expected close marker for Object}
     */
    public static String problem(JsonProcessingException e) {
        String what = String.valueOf(e.getOriginalMessage())
                .replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:[^\\]]*\\]", "")
                .replaceAll("\\s+", " ")
                .strip();
        JsonLocation location = e.getLocation();
        if (location == null || location.getLineNr() < 1) {
            return what;
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": " + what;
    }
}
