package org.callcentre.journey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Whose journey: a phone number, or a lead with every number it has. A row is the customer's if its number is one
 * of {@code numbers} or (for a lead) its {@code lead_id} is the lead.
 */
public record Customer(Long leadId, Set<String> numbers) {

    public Customer {
        numbers = Set.copyOf(numbers);
    }

    /** The SQL condition for a row whose number is in {@code numberColumn} and lead in {@code leadColumn}. */
    public String condition(String numberColumn, String leadColumn) {
        List<String> parts = new ArrayList<>();
        if (!numbers.isEmpty()) {
            parts.add(numberColumn + " in (" + String.join(", ", Collections.nCopies(numbers.size(), "?")) + ")");
        }
        if (leadId != null) {
            parts.add(leadColumn + " = ?");
        }
        return parts.isEmpty() ? "1 = 0" : "(" + String.join(" or ", parts) + ")";
    }

    /** The arguments of {@link #condition}, in order. */
    public Object[] arguments() {
        List<Object> arguments = new ArrayList<>(numbers.stream().sorted().toList());
        if (leadId != null) {
            arguments.add(leadId);
        }
        return arguments.toArray();
    }
}
