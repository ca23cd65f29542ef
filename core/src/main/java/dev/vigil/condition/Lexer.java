package dev.vigil.condition;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Splits a condition into tokens; every error names what was expected and the column. */
final class Lexer {

    enum Type { NUMBER, DURATION, PERCENT, STRING, IDENT, OPERATOR, END }

    /**
     * One token.
     *
     * @param start offset of the first char in the source
     * @param end offset after the last char
     * @param value the number ({@link Double}), {@link Duration} or string a literal stands for
     */
    record Token(Type type, String text, int start, int end, Object value) {
        boolean is(String operatorOrKeyword) {
            return (type == Type.OPERATOR || type == Type.IDENT) && text.equals(operatorOrKeyword);
        }
    }

    private static final String UNITS = "ns, us, ms, s, m, h or %";

    private final String source;
    private int pos;

    private Lexer(String source) {
        this.source = source;
    }

    static List<Token> tokenize(String source) {
        Lexer lexer = new Lexer(source);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.type() != Type.END);
        return tokens;
    }

    /** The 1-based column of an offset, counted in characters as a reader sees them. */
    static int column(String source, int offset) {
        return source.codePointCount(0, Math.min(offset, source.length())) + 1;
    }

    private ConditionSyntaxException error(String message, int offset) {
        int column = column(source, offset);
        return new ConditionSyntaxException(message.replace("%col", "column " + column), column);
    }

    private Token next() {
        while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= source.length()) {
            return new Token(Type.END, "", start, start, null);
        }
        char c = source.charAt(pos);
        if (isDigit(c) || (c == '-' && pos + 1 < source.length() && isDigit(source.charAt(pos + 1)))) {
            return number();
        }
        if (c == '"' || c == '\'') {
            return string(c);
        }
        if (isNameStart(source.codePointAt(pos))) {
            pos += Character.charCount(source.codePointAt(pos));
            while (pos < source.length() && isNamePart(source.codePointAt(pos))) {
                pos += Character.charCount(source.codePointAt(pos));
            }
            return new Token(Type.IDENT, source.substring(start, pos), start, pos, null);
        }
        for (String op : new String[] {"==", "!=", "<=", ">=", "=~", "!~", "&&", "||"}) {
            if (source.startsWith(op, pos)) {
                pos += 2;
                return new Token(Type.OPERATOR, op, start, pos, null);
            }
        }
        if ("<>!()[],.".indexOf(c) >= 0) {
            pos++;
            return new Token(Type.OPERATOR, String.valueOf(c), start, pos, null);
        }
        if (c == '=') {
            throw error("unexpected character '=' at %col: expected '==' to compare", start);
        }
        if (c == '&' || c == '|') {
            throw error("unexpected character '" + c + "' at %col: expected '" + c + c + "'", start);
        }
        throw error("unexpected character '" + new String(Character.toChars(source.codePointAt(pos))) + "' at %col", start);
    }

    private Token number() {
        int start = pos;
        if (source.charAt(pos) == '-') {
            pos++;
        }
        digits();
        if (pos < source.length() && source.charAt(pos) == '.') {
            pos++;
            if (pos >= source.length() || !isDigit(source.charAt(pos))) {
                throw error("expected a digit after '" + source.substring(start, pos) + "' at %col", pos);
            }
            digits();
        }
        if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            int exponent = pos + 1;
            if (exponent < source.length() && (source.charAt(exponent) == '+' || source.charAt(exponent) == '-')) {
                exponent++;
            }
            if (exponent < source.length() && isDigit(source.charAt(exponent))) {
                pos = exponent;
                digits();
            }
        }
        BigDecimal number;
        try {
            number = new BigDecimal(source.substring(start, pos));
        } catch (NumberFormatException e) {
            // An exponent beyond what BigDecimal holds (1e9999999999).
            throw error("number " + source.substring(start, pos) + " at %col is out of range", start);
        }
        if (pos < source.length() && source.charAt(pos) == '%') {
            pos++;
            try {
                return new Token(Type.PERCENT, source.substring(start, pos), start, pos,
                        number.movePointLeft(2).doubleValue());
            } catch (ArithmeticException e) {
                // A scale beyond what BigDecimal holds once moved (1e-2147483647%).
                throw error("number " + source.substring(start, pos) + " at %col is out of range", start);
            }
        }
        int unitStart = pos;
        while (pos < source.length() && (Character.isLetter(source.charAt(pos)) || isDigit(source.charAt(pos)))) {
            pos++;
        }
        if (unitStart == pos) {
            return new Token(Type.NUMBER, source.substring(start, pos), start, pos, number.doubleValue());
        }
        String unit = source.substring(unitStart, pos);
        long nanosPerUnit = nanosPer(unit);
        if (nanosPerUnit == 0) {
            throw error("unknown unit '" + unit + "' after " + source.substring(start, unitStart)
                    + " at %col: expected " + UNITS, unitStart);
        }
        BigDecimal nanos;
        boolean whole;
        try {
            nanos = number.multiply(BigDecimal.valueOf(nanosPerUnit));
            whole = nanos.signum() == 0 || nanos.stripTrailingZeros().scale() <= 0;
        } catch (ArithmeticException e) {
            throw error("duration " + source.substring(start, pos) + " at %col is out of range", start);
        }
        if (!whole) {
            throw error("duration " + source.substring(start, pos) + " at %col is not a whole number of nanoseconds", start);
        }
        try {
            return new Token(Type.DURATION, source.substring(start, pos), start, pos,
                    toDuration(nanos));
        } catch (ArithmeticException e) {
            throw error("duration " + source.substring(start, pos) + " at %col is too long", start);
        }
    }

    private static Duration toDuration(BigDecimal nanos) {
        // Checked first: dividing a number such as 1e99999 would take minutes.
        if (nanos.abs().compareTo(MAX_NANOS) > 0) {
            throw new ArithmeticException("duration too long");
        }
        BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    /** The longest duration Java holds, in nanoseconds. */
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE).multiply(BigDecimal.valueOf(1_000_000_000L));

    private static long nanosPer(String unit) {
        switch (unit) {
            case "ns": return 1L;
            case "us": case "µs": return 1_000L;
            case "ms": return 1_000_000L;
            case "s": return 1_000_000_000L;
            case "m": return 60_000_000_000L;
            case "h": return 3_600_000_000_000L;
            default: return 0;
        }
    }

    private void digits() {
        while (pos < source.length() && isDigit(source.charAt(pos))) {
            pos++;
        }
    }

    private Token string(char quote) {
        int start = pos++;
        StringBuilder text = new StringBuilder();
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (c == quote) {
                pos++;
                return new Token(Type.STRING, source.substring(start, pos), start, pos, text.toString());
            }
            if (c == '\\') {
                escape(text);
                continue;
            }
            text.append(c);
            pos++;
        }
        throw error("expected a closing " + quote + " at %col to end the string that starts at column "
                + column(source, start), pos);
    }

    private void escape(StringBuilder text) {
        int at = pos;
        if (pos + 1 >= source.length()) {
            pos++;
            return;
        }
        char c = source.charAt(pos + 1);
        pos += 2;
        switch (c) {
            case '"': case '\'': case '\\': case '/': text.append(c); return;
            case 'n': text.append('\n'); return;
            case 't': text.append('\t'); return;
            case 'r': text.append('\r'); return;
            case 'b': text.append('\b'); return;
            case 'f': text.append('\f'); return;
            case 'u':
                if (pos + 4 <= source.length() && source.substring(pos, pos + 4).chars().allMatch(Lexer::isHex)) {
                    text.append((char) Integer.parseInt(source.substring(pos, pos + 4), 16));
                    pos += 4;
                    return;
                }
                throw error("expected four hex digits after '\\u' at %col", at);
            default:
                throw error("unknown escape '\\" + c + "' at %col: expected one of \\\" \\' \\\\ \\/ \\n \\t \\r \\b \\f \\uXXXX", at);
        }
    }

    private static boolean isHex(int c) {
        return Character.digit(c, 16) >= 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isNameStart(int c) {
        return Character.isLetter(c) || c == '_';
    }

    static boolean isNamePart(int c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }
}
