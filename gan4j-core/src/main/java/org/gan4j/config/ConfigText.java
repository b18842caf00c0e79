package org.gan4j.config;

import com.fasterxml.jackson.databind.JsonNode;

/** Small helpers that keep config error messages on one readable line. */
final class ConfigText {

    private static final int MAX_VALUE_CHARS = 60;
    private static final int MAX_MESSAGE_PART_CHARS = 200;

    private ConfigText() {}

    /**
     * Names a dotted key in a message; the root of the document reads as "the top level".
     *
     * @param path the dotted key, possibly empty
     * @return the printable key
     */
    static String key(String path) {
        return path.isEmpty() ? "(top level)" : oneLine(path);
    }

    /**
     * Collapses line breaks and runs of white space into single spaces and shortens very long text.
     *
     * @param text any text
     * @return the text on one line, at most about 200 characters
     */
    static String oneLine(String text) {
        String flat = text.replaceAll("[\\s\\u0085\\u2028\\u2029]+", " ").strip();
        return flat.length() > MAX_MESSAGE_PART_CHARS ? flat.substring(0, MAX_MESSAGE_PART_CHARS) + "…" : flat;
    }

    /**
     * Quotes a user-supplied string for a message, escaping control characters and shortening it.
     *
     * @param text the raw string
     * @return the string in double quotes
     */
    static String quote(String text) {
        return quote(text, '"');
    }

    /**
     * Quotes a key for a message in single quotes, escaping control characters and shortening it.
     *
     * @param key the raw key
     * @return the key in single quotes
     */
    static String quoteKey(String key) {
        return quote(key, '\'');
    }

    private static String quote(String text, char quote) {
        StringBuilder out = new StringBuilder().append(quote);
        int limit = Math.min(text.length(), MAX_VALUE_CHARS);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        if (text.length() > limit) {
            out.append('…');
        }
        return out.append(quote).toString();
    }

    /**
     * Shows a config value in a message: strings quoted, numbers and booleans as written, containers by kind.
     *
     * @param node the value
     * @return a short one-line description
     */
    static String show(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        String text = node.asText();
        return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "…" : text;
    }
}
