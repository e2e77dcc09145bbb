package org.callcentre.emulator.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The subset of Stripe's search query language the simulator understands: exact-match clauses
 * {@code metadata['key']:'value'}, {@code status:'succeeded'} and {@code currency:'gbp'} (single or
 * double quotes, backslash escapes), joined by {@code AND}. Anything else is rejected with 400.
 */
final class SearchQuery {

    record Clause(String field, String metadataKey, String value) {
    }

    private final List<Clause> clauses;

    private SearchQuery(List<Clause> clauses) {
        this.clauses = List.copyOf(clauses);
    }

    List<Clause> clauses() {
        return clauses;
    }

    /**
     * True when every clause matches. {@code fields} gives the value of a plain field (status,
     * currency) for the object being tested.
     */
    boolean matches(Map<String, String> metadata, Function<String, String> fields) {
        for (Clause c : clauses) {
            String actual = c.metadataKey() != null ? metadata.get(c.metadataKey()) : fields.apply(c.field());
            if (!c.value().equals(actual)) {
                return false;
            }
        }
        return true;
    }

    static SearchQuery parse(String query) {
        if (query == null || query.isBlank()) {
            throw ApiException.missing("query");
        }
        Parser p = new Parser(query);
        List<Clause> out = new ArrayList<>();
        while (true) {
            p.skipSpace();
            String field = p.identifier();
            String metaKey = null;
            if (field.equals("metadata")) {
                p.expect('[');
                metaKey = p.quoted();
                p.expect(']');
            } else if (!field.equals("status") && !field.equals("currency")) {
                throw invalid(query);
            }
            p.skipSpace();
            p.expect(':');
            p.skipSpace();
            out.add(new Clause(field, metaKey, p.quoted()));
            p.skipSpace();
            if (p.atEnd()) {
                break;
            }
            p.keyword("AND");
        }
        return new SearchQuery(out);
    }

    static ApiException invalid(String query) {
        return ApiException.invalidRequest(400, "parameter_invalid", "query",
                "Invalid search query. The simulator supports exact-match clauses metadata['key']:'value', "
                        + "status:'value' and currency:'value', joined with AND.");
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        String identifier() {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            if (start == i) {
                throw invalid(s);
            }
            return s.substring(start, i);
        }

        void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw invalid(s);
            }
            i++;
        }

        void keyword(String kw) {
            if (!s.startsWith(kw, i) || i + kw.length() >= s.length() || !Character.isWhitespace(s.charAt(i + kw.length()))) {
                throw invalid(s);
            }
            i += kw.length();
        }

        String quoted() {
            if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
                throw invalid(s);
            }
            char q = s.charAt(i++);
            StringBuilder sb = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    sb.append(s.charAt(i++));
                } else if (c == q) {
                    return sb.toString();
                } else {
                    sb.append(c);
                }
            }
            throw invalid(s);
        }
    }
}
