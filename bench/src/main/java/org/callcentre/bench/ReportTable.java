package org.callcentre.bench;

import java.util.List;
import java.util.function.Function;

/** A Markdown table with one column per database of the run, as the scenarios' reports print them. */
final class ReportTable {

    private ReportTable() {
    }

    /** The header: {@code first}, then each result's label, and the separator line. */
    static <T> void header(StringBuilder out, List<T> results, String first, Function<T, String> label) {
        out.append("| ").append(first).append(" |");
        results.forEach(m -> out.append(' ').append(label.apply(m)).append(" |"));
        out.append("\n|---|");
        results.forEach(m -> out.append("---|"));
        out.append('\n');
    }

    /** One row: {@code name}, then each result's value. */
    static <T> void row(StringBuilder out, List<T> results, String name, Function<T, String> value) {
        out.append("| ").append(name).append(" |");
        results.forEach(m -> out.append(' ').append(value.apply(m)).append(" |"));
        out.append('\n');
    }
}
