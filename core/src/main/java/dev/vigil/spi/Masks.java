package dev.vigil.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * What every masking class of this package does with the credentials it found in a text, each
 * given as its start and end: replacing them by a mask, and taking them out. Stateless.
 */
final class Masks {

    private Masks() {
    }

    /** The text with each span replaced by the mask; spans are sorted by start, one starting inside another is left out. */
    static String replace(String text, List<int[]> spans, String mask) {
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int[] span : spans) {
            if (span[0] >= at) {
                out.append(text, at, span[0]).append(mask);
                at = span[1];
            }
        }
        return out.append(text, at, text.length()).toString();
    }

    /** What each span of the text holds, in order. */
    static List<String> texts(String text, List<int[]> spans) {
        List<String> out = new ArrayList<>();
        spans.forEach(span -> out.add(text.substring(span[0], span[1])));
        return out;
    }
}
