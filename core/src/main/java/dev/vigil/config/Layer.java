package dev.vigil.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.VigilException;
import dev.vigil.report.Reports;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One source of configuration as flat, ordered key-value pairs ({@code vigil.probes.health.url}),
 * with a name for messages ({@code application.yml}). Later layers override earlier ones.
 *
 * @param lines the lines (from 1) each key is written on, in order, for a layer read from text: more
 *     than one when the key is repeated (which properties allow, the last value winning), and none
 *     when the format gives no line; {@code null} for a layer given in code (a map,
 *     {@link Properties}), whose other keys are the caller's business
 */
record Layer(String name, Map<String, String> entries, Map<String, List<Integer>> lines) {

    /**
     * The largest configuration file read: far beyond any configuration (tens of thousands of
     * lines), and small enough that a wrong file given instead (a log, an archive) is refused
     * before it is read whole into memory.
     */
    static final long MAX_FILE_BYTES = 4L << 20;

    Layer {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        if (lines != null) {
            Map<String, List<Integer>> copy = new LinkedHashMap<>();
            lines.forEach((key, at) -> copy.put(key, List.copyOf(at)));
            lines = Collections.unmodifiableMap(copy);
        }
    }

    /** A layer given in code, with no lines. */
    Layer(String name, Map<String, String> entries) {
        this(name, entries, null);
    }

    /** Whether the layer was read from text a person wrote (a file, a resource), not given in code. */
    boolean written() {
        return lines != null;
    }

    /** The lines {@code key} is written on, in order; empty when the layer does not say. */
    List<Integer> lines(String key) {
        return lines == null ? List.of() : lines.getOrDefault(key, List.of());
    }

    /** A layer from a map, in its iteration order. */
    static Layer of(String name, Map<String, String> entries) {
        return new Layer(name, entries);
    }

    /** A layer from {@link Properties}; sorted by key since {@code Properties} keeps no order. */
    static Layer of(String name, Properties properties) {
        Map<String, String> sorted = new java.util.TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            sorted.put(key, properties.getProperty(key));
        }
        return new Layer(name, sorted);
    }

    /**
     * Reads a file: YAML when it ends in {@code .yml} or {@code .yaml}, else properties.
     *
     * @throws ConfigurationException when it cannot be read or parsed
     */
    static Layer read(Path file) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        return read(file, isYaml(name));
    }

    /**
     * Reads a file as YAML or as properties, whatever its name.
     *
     * @throws ConfigurationException when it cannot be read or parsed
     */
    static Layer read(Path file, boolean yaml) {
        // A name holding a line break would split the problem's line, and its second half pass for another.
        String shown = Reports.oneLine(file.toString());
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw ConfigurationException.single(shown, "a folder, not a file: name the configuration file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw tooLarge(shown, (size >> 20) + " MiB");
            }
            // The size of a device or a pipe is 0 (/dev/zero, --config <(envsubst < c.properties)): the read is capped too.
            try (InputStream in = Files.newInputStream(file)) {
                text = utf8(shown, capped(shown, in));
            }
        } catch (NoSuchFileException e) {
            throw ConfigurationException.single(shown, "file not found");
        } catch (IOException e) {
            throw ConfigurationException.single(shown, "cannot be read: " + VigilException.describe(e));
        }
        return yaml ? yaml(shown, text) : properties(shown, text);
    }

    /**
     * All bytes of {@code in}, at most {@link #MAX_FILE_BYTES}: a longer stream is refused once the
     * cap is passed, not read whole into memory.
     */
    private static byte[] capped(String name, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        if (bytes.length > MAX_FILE_BYTES) {
            throw tooLarge(name, "more than " + (MAX_FILE_BYTES >> 20) + " MiB");
        }
        return bytes;
    }

    private static ConfigurationException tooLarge(String name, String size) {
        return ConfigurationException.single(name, size + ", too large for a configuration file (at most "
                + (MAX_FILE_BYTES >> 20) + " MiB): is it the right file?");
    }

    /**
     * The text of a file or resource read as UTF-8, or a problem naming it and the line of the first
     * byte that is not: the decoder's own message says only "Input length = 1", and decoding
     * leniently would put U+FFFD in place of the letter, in a value used as given.
     */
    private static String utf8(String name, byte[] bytes) {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw ConfigurationException.single(name, "not UTF-8 text (line " + line + "): save it as UTF-8;"
                    + " a file saved as ISO-8859-1 holds an accented letter as a byte UTF-8 does not allow");
        }
        decoder.flush(out);
        String text = out.flip().toString();
        // A byte order mark (Notepad, PowerShell's Out-File) marks the encoding and is no part of the first key.
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Reads a classpath resource or a stream, held to UTF-8 as a file is. */
    static Layer read(String name, InputStream in) {
        try (in) {
            String text = utf8(name, capped(name, in));
            return isYaml(name) ? yaml(name, text) : properties(name, text);
        } catch (IOException e) {
            throw ConfigurationException.single(name, "cannot be read: " + VigilException.describe(e));
        }
    }

    /** Whether a file of this name is YAML: {@code .yml} or {@code .yaml}, in any case ({@code APPLICATION.YML}). */
    static boolean isYaml(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".yml") || lower.endsWith(".yaml");
    }

    /** Properties text, keeping the order of the keys in the file and the line each is written on. */
    static Layer properties(String name, String text) {
        Map<String, String> ordered = new LinkedHashMap<>();
        Map<String, List<Integer>> lines = new LinkedHashMap<>();
        List<Integer> starts = entryLines(text);
        Properties reader = new Properties() {
            private static final long serialVersionUID = 1L;
            /** How many entries were read: the parser reads one per entry line, in order. */
            private int read;

            @Override
            public synchronized Object put(Object key, Object value) {
                ordered.remove(key.toString());
                ordered.put(key.toString(), value.toString());
                if (read < starts.size()) {
                    lines.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(starts.get(read));
                }
                read++;
                return super.put(key, value);
            }
        };
        try (Reader r = new StringReader(text)) {
            reader.load(r);
        } catch (IllegalArgumentException e) {
            // Properties says only that a backslash-u escape is malformed, without the line.
            int line = badUnicodeEscapeLine(text);
            throw ConfigurationException.single(name, "not a valid properties file: " + (line > 0
                    ? "line " + line + " has \\u without four hexadecimal digits after it; in a properties file a"
                            + " backslash starts an escape, so write a path such as C:\\users as C:\\\\users or C:/users"
                    : e.getMessage()));
        } catch (IOException e) {
            throw ConfigurationException.single(name, "not a valid properties file: " + VigilException.describe(e));
        }
        return new Layer(name, ordered, lines);
    }

    /**
     * The line (from 1) each entry of properties text starts on, in order, as {@link Properties#load(Reader)}
     * reads them: a line that is blank or a comment ({@code #}, {@code !}) holds none, and a line ending
     * in an odd number of backslashes goes on on the next.
     */
    private static List<Integer> entryLines(String text) {
        String[] physical = text.split("\r\n|\r|\n", -1);
        List<Integer> starts = new ArrayList<>();
        boolean continued = false;
        for (int n = 0; n < physical.length; n++) {
            String line = physical[n];
            if (!continued) {
                String start = line.replaceFirst("^[ \t\f]+", "");
                if (start.isEmpty() || start.startsWith("#") || start.startsWith("!")) {
                    continue;
                }
                starts.add(n + 1);
            }
            int backslashes = 0;
            for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            continued = backslashes % 2 == 1;
        }
        return starts;
    }

    /**
     * The line (from 1) of the first backslash-u that is not followed by four hexadecimal digits, outside
     * comment lines, or 0 when there is none.
     */
    private static int badUnicodeEscapeLine(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            String start = line.stripLeading();
            if (start.startsWith("#") || start.startsWith("!")) {
                continue;
            }
            for (int i = 0; i < line.length() - 1; i++) {
                if (line.charAt(i) != '\\') {
                    continue;
                }
                if (line.charAt(i + 1) == 'u' && !line.substring(i + 2).matches("(?s)[0-9a-fA-F]{4}.*")) {
                    return n + 1;
                }
                i++; // the escaped character
            }
        }
        return 0;
    }

    /** YAML text flattened into properties: {@code a.b.c}, lists as {@code a[0]}. */
    static Layer yaml(String name, String text) {
        Map<String, String> flat = new LinkedHashMap<>();
        Map<String, List<Integer>> lines = new LinkedHashMap<>();
        try (JsonParser parser = Yaml.MAPPER.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != null && first != JsonToken.VALUE_NULL) {
                if (first != JsonToken.START_OBJECT) {
                    throw ConfigurationException.single(name, "YAML must be a mapping of keys to values");
                }
                flatten(name, "", parser, flat, lines);
            }
        } catch (JsonProcessingException e) {
            // The YAML parser's full message quotes the offending line, which may hold a secret.
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String problem = e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException
                    ? ": " + ((org.yaml.snakeyaml.error.MarkedYAMLException) e.getCause()).getProblem()
                    : duplicateKey(e.getOriginalMessage());
            throw ConfigurationException.single(name, "not valid YAML" + where + problem);
        } catch (IOException e) {
            throw ConfigurationException.single(name, "cannot be read: " + VigilException.describe(e));
        }
        refuseAliases(name, text);
        return new Layer(name, flat, lines);
    }

    /**
     * Refuses a YAML alias ({@code *name}, also in a merge {@code <<: *name}): the tree the YAML
     * mapper reads holds the alias' name in its place, so {@code command: *rollback} would run the
     * command {@code rollback}. The message names the line and the alias, never a value.
     */
    private static void refuseAliases(String name, String text) {
        Iterable<org.yaml.snakeyaml.events.Event> events =
                new org.yaml.snakeyaml.Yaml().parse(new StringReader(text));
        try {
            for (org.yaml.snakeyaml.events.Event event : events) {
                if (event instanceof org.yaml.snakeyaml.events.AliasEvent alias) {
                    throw ConfigurationException.single(name, "not valid YAML at line " + (alias.getStartMark().getLine() + 1)
                            + ", column " + (alias.getStartMark().getColumn() + 1) + ": the alias *" + alias.getAnchor()
                            + " is not supported (nor are << merges); write the value out");
                }
            }
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            // The YAML mapper has read the text already: nothing to add to what it found.
        }
    }

    /**
     * What a duplicate key of a YAML mapping is called in messages: the key, never its value. YAML
     * requires the keys of a mapping to be unique; read leniently, the last one would silently
     * replace the first, a whole probe included.
     */
    private static String duplicateKey(String message) {
        if (message == null || !message.startsWith("Duplicate field ")) {
            return "";
        }
        return ": key " + message.substring("Duplicate field ".length()) + " appears twice in the same mapping";
    }

    /** Made when the first YAML file is read: a properties file never loads the YAML parser. */
    private static final class Yaml {
        static final YAMLMapper MAPPER = YAMLMapper.builder()
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    /**
     * Flattens the value the parser is at. A scalar is taken as written: read as a number, a
     * {@code version: 2.10} would be {@code 2.1} and {@code build: 0012} would be {@code 12}, and a
     * rollback command made of {@code ${vigil.deployment.previous-version}} would return to
     * another version. Nesting is bounded by the parser's limits. A dotted key at the top
     * ({@code vigil.plan.duration: 30m}) is a path, as Spring Boot reads it: the top is never a map
     * whose keys hold dots, and read as one name it would be outside the prefix and ignored. A key
     * given both dotted and nested is a problem naming it, never its values.
     */
    private static void flatten(String name, String path, JsonParser parser, Map<String, String> out,
            Map<String, List<Integer>> lines) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            boolean empty = true;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                empty = false;
                String key = parser.currentName();
                // Map keys holding dots below the top are kept whole, as [a.b].
                String segment = key.contains(".") && !key.startsWith("[") && !path.isEmpty() ? "[" + key + "]" : key;
                parser.nextToken();
                flatten(name, path.isEmpty() ? segment : path + "." + segment, parser, out, lines);
            }
            if (empty && !path.isEmpty()) {
                put(name, path, "", parser, out, lines);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int i = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                flatten(name, path + "[" + i++ + "]", parser, out, lines);
            }
            if (i == 0) {
                put(name, path, "", parser, out, lines);
            }
        } else {
            String value = token == JsonToken.VALUE_NULL ? null : parser.getText();
            put(name, path, value == null ? "" : value, parser, out, lines);
        }
    }

    /** Puts a value where the parser is, and the line it is written on. */
    private static void put(String name, String path, String value, JsonParser parser, Map<String, String> out,
            Map<String, List<Integer>> lines) {
        if (out.putIfAbsent(path, value) != null) {
            throw ConfigurationException.single(name, "not valid YAML: " + path + " is given twice, as a dotted key and"
                    + " nested (or under two dotted keys); keep one");
        }
        lines.put(path, List.of(parser.currentTokenLocation().getLineNr()));
    }

    /** The names of the entries, for debugging; never the values. */
    @Override
    public String toString() {
        return "Layer[" + name + ", keys=" + new ArrayList<>(entries.keySet()) + "]";
    }
}
