package dev.vigil.condition;

import dev.vigil.condition.Lexer.Token;
import dev.vigil.condition.Lexer.Type;
import dev.vigil.condition.Values.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent parser; checks types as far as they are known (literals always, names when
 * declared).
 *
 * <pre>
 * condition  := or END
 * or         := and (("||" | "or") and)*
 * and        := unary (("&amp;&amp;" | "and") unary)*
 * unary      := ("!" | "not") unary | comparison
 * comparison := value [ ("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") value
 *                     | ["not"] "in" value | ("=~" | "!~") STRING ]
 * value      := literal | "(" or ")" | "[" [or ("," or)*] "]" | NAME "(" [or ("," or)*] ")" | path
 * path       := NAME ("." NAME | "[" (INTEGER | STRING) "]")*
 * </pre>
 */
final class Parser {

    /** How deeply parentheses, brackets, calls and negations may nest. */
    static final int MAX_DEPTH = 64;

    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "and", "or", "not", "in");

    private final String source;
    private final Map<String, ValueType> declared;
    private final List<Token> tokens;
    private final Set<String> names = new LinkedHashSet<>();
    private final Set<String> calls = new LinkedHashSet<>();
    private int index;
    private int depth;

    private Parser(String source, Map<String, ValueType> declared) {
        this.source = source;
        this.declared = declared;
        this.tokens = Lexer.tokenize(source);
    }

    /** The parsed tree, the root names it refers to and the functions it calls, by name. */
    record Parsed(Node root, Set<String> names, Set<String> calls) {
    }

    static Parsed parse(String source, Map<String, ValueType> declared) {
        if (source == null || source.isBlank()) {
            throw new ConditionSyntaxException("empty condition: expected an expression at column 1", 1);
        }
        Parser parser = new Parser(source, declared);
        Node root = parser.or();
        Token end = parser.peek();
        if (end.type() != Type.END) {
            throw parser.error("expected an operator or the end of the condition at %col, found " + quoteToken(end), end.start());
        }
        parser.requireBoolean(root);
        return new Parsed(root, Collections.unmodifiableSet(parser.names), Collections.unmodifiableSet(parser.calls));
    }

    private ConditionSyntaxException error(String message, int offset) {
        int column = Lexer.column(source, offset);
        return new ConditionSyntaxException(message.replace("%col", "column " + column), column);
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peekAhead() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    private Token advance() {
        return tokens.get(index++);
    }

    private boolean at(String text) {
        return peek().is(text);
    }

    private static String quoteToken(Token token) {
        return token.type() == Type.END ? "the end" : "'" + token.text() + "'";
    }

    private String text(int start, int end) {
        return source.substring(start, end);
    }

    private int lastEnd() {
        return tokens.get(index - 1).end();
    }

    private void enter(Token token) {
        if (++depth > MAX_DEPTH) {
            throw error("nested too deeply at %col: at most " + MAX_DEPTH + " levels", token.start());
        }
    }

    private Node or() {
        int start = peek().start();
        Node left = and();
        while (at("||") || at("or")) {
            Token operator = advance();
            Node right = and();
            requireBoolean(left);
            requireBoolean(right);
            left = new Node.Logic(text(start, lastEnd()), start, operator.text(), false, left, right);
        }
        return left;
    }

    private Node and() {
        int start = peek().start();
        Node left = unary();
        while (at("&&") || at("and")) {
            Token operator = advance();
            Node right = unary();
            requireBoolean(left);
            requireBoolean(right);
            left = new Node.Logic(text(start, lastEnd()), start, operator.text(), true, left, right);
        }
        return left;
    }

    private Node unary() {
        if (at("!") || (at("not") && !peekAhead().is("in"))) {
            Token operator = advance();
            enter(operator);
            Node operand = unary();
            depth--;
            requireBoolean(operand);
            return new Node.Not(text(operator.start(), lastEnd()), operator.start(), operator.text(), operand);
        }
        return comparison();
    }

    private Node comparison() {
        int start = peek().start();
        Node left = value();
        Token operator = peek();
        if (operator.type() == Type.OPERATOR && List.of("==", "!=", "<", "<=", ">", ">=").contains(operator.text())) {
            advance();
            Node right = value();
            String problem = Compare.mismatch(operator.text(), left, left.kind(), left.kind().described,
                    right, right.kind(), right.kind().described);
            if (problem != null) {
                throw error(problem + " (at %col)", operator.start());
            }
            return new Node.Comparison(text(start, lastEnd()), start, operator.text(), left, right);
        }
        if (operator.is("in") || (operator.is("not") && peekAhead().is("in"))) {
            advance();
            boolean negated = operator.is("not");
            if (negated) {
                advance();
            }
            String spelled = negated ? "not in" : "in";
            Node right = value();
            if (!right.kind().isOneOf(Kind.LIST)) {
                throw error("expected a list after '" + spelled + "' at %col, but " + right.text() + " is "
                        + right.kind().described, right.start());
            }
            if (right instanceof Node.ListLiteral) {
                for (Node item : ((Node.ListLiteral) right).items()) {
                    String problem = Compare.mismatch("==", left, left.kind(), left.kind().described,
                            item, item.kind(), item.kind().described);
                    if (problem != null) {
                        throw error(problem + " (at %col)", item.start());
                    }
                }
            }
            return new Node.In(text(start, lastEnd()), start, spelled, negated, left, right);
        }
        if (operator.is("=~") || operator.is("!~")) {
            advance();
            Token regex = peek();
            if (regex.type() != Type.STRING) {
                throw error("expected a string with a regular expression after '" + operator.text() + "' at %col, found "
                        + quoteToken(regex), regex.start());
            }
            advance();
            if (!left.kind().isOneOf(Kind.STRING)) {
                throw error(left.text() + " is " + left.kind().described + ", '" + operator.text() + "' needs a string (at %col)",
                        operator.start());
            }
            Node.Literal literal = new Node.Literal(regex.text(), regex.start(), regex.value(), Kind.STRING);
            return new Node.Match(text(start, lastEnd()), start, operator.text(), left, literal,
                    compile(literal));
        }
        return left;
    }

    private Pattern compile(Node.Literal regex) {
        try {
            return Pattern.compile((String) regex.value());
        } catch (PatternSyntaxException e) {
            throw error("bad regular expression " + regex.text() + " at %col: " + e.getDescription(), regex.start());
        }
    }

    /** A literal, a name, a call, a list or a parenthesized expression. */
    private Node value() {
        Token token = peek();
        switch (token.type()) {
            case NUMBER:
            case PERCENT:
                advance();
                return new Node.Literal(token.text(), token.start(), token.value(), Kind.NUMBER);
            case DURATION:
                advance();
                return new Node.Literal(token.text(), token.start(), token.value(), Kind.DURATION);
            case STRING:
                advance();
                return new Node.Literal(token.text(), token.start(), token.value(), Kind.STRING);
            case IDENT:
                if (token.is("true") || token.is("false")) {
                    advance();
                    return new Node.Literal(token.text(), token.start(), Boolean.valueOf(token.text()), Kind.BOOLEAN);
                }
                if (token.is("null")) {
                    advance();
                    return new Node.Literal(token.text(), token.start(), Values.NULL, Kind.NULL);
                }
                if (!KEYWORDS.contains(token.text())) {
                    return peekAhead().is("(") ? call() : path();
                }
                break;
            case OPERATOR:
                if (token.is("(")) {
                    advance();
                    enter(token);
                    Node inner = or();
                    depth--;
                    close(")", token);
                    return inner;
                }
                if (token.is("[")) {
                    advance();
                    enter(token);
                    List<Node> items = arguments("]", token);
                    depth--;
                    return new Node.ListLiteral(text(token.start(), lastEnd()), token.start(), List.copyOf(items));
                }
                break;
            default:
                break;
        }
        String expected = index == 0 ? "expected a value at %col"
                : "expected a value after '" + tokens.get(index - 1).text() + "' at %col";
        throw error(token.type() == Type.END ? expected : expected + ", found " + quoteToken(token), token.start());
    }

    private void close(String closing, Token opening) {
        Token token = peek();
        if (!token.is(closing)) {
            String message = "expected '" + closing + "' at %col to close the '" + opening.text() + "' at column "
                    + Lexer.column(source, opening.start());
            throw error(token.type() == Type.END ? message : message + ", found " + quoteToken(token), token.start());
        }
        advance();
    }

    /** Comma-separated expressions up to {@code closing}; the opening token is consumed. */
    private List<Node> arguments(String closing, Token opening) {
        List<Node> items = new ArrayList<>();
        if (at(closing)) {
            advance();
            return items;
        }
        while (true) {
            items.add(or());
            if (at(",")) {
                advance();
                continue;
            }
            close(closing, opening);
            return items;
        }
    }

    private Node call() {
        Token name = advance();
        Token open = advance();
        Functions.Function function = Functions.BY_NAME.get(name.text());
        if (function == null) {
            throw error("unknown function '" + name.text() + "' at %col; known functions: "
                    + String.join(", ", Functions.BY_NAME.keySet()), name.start());
        }
        enter(open);
        List<Node> args = arguments(")", open);
        depth--;
        String text = text(name.start(), lastEnd());
        if (args.size() < function.minArgs || args.size() > function.maxArgs) {
            throw error(function.spelling + " takes " + function.arity() + ", got " + args.size() + " at %col", name.start());
        }
        for (int i = 0; i < args.size(); i++) {
            Kind[] accepted = function.accepts(i, args.size());
            Node arg = args.get(i);
            if (!arg.kind().isOneOf(accepted)) {
                throw error(function.spelling + " needs " + Functions.Function.describe(accepted) + ", but " + arg.text()
                        + " is " + arg.kind().described + " (at %col)", arg.start());
            }
        }
        if ((function == Functions.Function.HAS || function == Functions.Function.EXISTS) && !(args.get(0) instanceof Node.Path)) {
            throw error(function.spelling + " needs a name such as body.status, found " + args.get(0).text() + " at %col",
                    args.get(0).start());
        }
        Pattern pattern = null;
        if (function == Functions.Function.MATCHES) {
            Node regex = args.get(1);
            if (!(regex instanceof Node.Literal) || regex.kind() != Kind.STRING) {
                throw error("matches needs a string with a regular expression as its second argument, found "
                        + regex.text() + " at %col", regex.start());
            }
            pattern = compile((Node.Literal) regex);
        }
        calls.add(function.spelling);
        return new Node.Call(text, name.start(), function, List.copyOf(args), pattern);
    }

    private Node path() {
        Token root = advance();
        List<Node.Segment> segments = new ArrayList<>();
        while (true) {
            Token token = peek();
            if (token.start() != lastEnd()) {
                break;
            }
            if (token.is(".")) {
                advance();
                Token key = peek();
                if (key.type() != Type.IDENT || key.start() != token.end()) {
                    throw error("expected a name after '.' at %col" + (key.type() == Type.END ? "" : ", found " + quoteToken(key))
                            + "; write keys that are not names as [\"key\"]", key.start());
                }
                advance();
                segments.add(new Node.Segment(text(token.start(), key.end()), key.text(), 0, true));
            } else if (token.is("[")) {
                advance();
                Token key = peek();
                Node.Segment segment;
                if (key.type() == Type.STRING) {
                    segment = new Node.Segment(null, (String) key.value(), 0, false);
                } else if (key.type() == Type.NUMBER && isWhole((Double) key.value())) {
                    segment = new Node.Segment(null, null, ((Double) key.value()).intValue(), false);
                } else {
                    throw error("expected an index such as [0] or a key such as [\"name\"] after '[' at %col"
                            + (key.type() == Type.END ? "" : ", found " + quoteToken(key)), key.start());
                }
                advance();
                close("]", token);
                segments.add(new Node.Segment(text(token.start(), lastEnd()), segment.key(), segment.index(), false));
            } else {
                break;
            }
        }
        Node.Path path = new Node.Path(text(root.start(), lastEnd()), root.start(), root.text(), List.copyOf(segments), Kind.ANY);
        if (declared == null) {
            names.add(root.text());
            return path;
        }
        return checkDeclared(path);
    }

    private static boolean isWhole(double number) {
        return number == Math.rint(number) && Math.abs(number) <= Integer.MAX_VALUE;
    }

    private Node checkDeclared(Node.Path path) {
        List<String> candidates = path.rootCandidates();
        for (int used = candidates.size() - 1; used >= 0; used--) {
            ValueType type = declared.get(candidates.get(used));
            if (type == null) {
                continue;
            }
            names.add(candidates.get(used));
            List<Node.Segment> rest = path.segments().subList(used, path.segments().size());
            if (rest.isEmpty()) {
                return new Node.Path(path.text(), path.start(), path.root(), path.segments(), Kind.of(type));
            }
            Node.Segment next = rest.get(0);
            boolean navigable = type == ValueType.ANY || type == ValueType.STRING
                    || (type == ValueType.LIST && next.key() == null);
            if (!navigable) {
                throw error(candidates.get(used) + " is " + Kind.of(type).described + ", it has no "
                        + (next.key() == null ? "element " + next.text() : "key '" + next.key() + "'")
                        + " (at %col)", path.start());
            }
            return path;
        }
        throw error("unknown name '" + path.root() + "' at %col; known names: " + String.join(", ", new TreeSet<>(declared.keySet())),
                path.start());
    }

    private void requireBoolean(Node node) {
        if (!node.kind().isOneOf(Kind.BOOLEAN)) {
            throw error("expected a condition (true or false) at %col, but " + node.text() + " is " + node.kind().described,
                    node.start());
        }
    }
}
