package org.callcentre.ticket;

import static org.callcentre.problem.RefusedException.invalid;

import java.util.Locale;
import java.util.regex.Pattern;

import org.callcentre.dialler.PhoneNumbers;

/**
 * Who a ticket is for: an agency, client, donor or volunteer, known by an email address, a phone number or both.
 * Addresses are kept lower-case and numbers in E.164, so the same person writing twice is the same end-user.
 */
public record EndUser(String name, String email, String phone) {

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\"(),;:]+@[^@\\s<>\"(),;:]+\\.[^@\\s<>\"(),;:]+");

    /**
     * The end-user as written by a person or a mail header: a blank field is none, an address is checked and
     * lower-cased, a number is made E.164 in {@code region} (a number that is not one is refused).
     */
    public static EndUser of(String name, String email, String phone, String region) {
        String cleanName = blankToNull(name);
        if (cleanName != null && cleanName.length() > 200) {
            throw invalid("name is at most 200 characters");
        }
        String cleanEmail = blankToNull(email);
        if (cleanEmail != null) {
            cleanEmail = cleanEmail.toLowerCase(Locale.ROOT);
            if (cleanEmail.length() > 254 || !ADDRESS.matcher(cleanEmail).matches()) {
                throw invalid("email '" + email.strip() + "' is not an email address");
            }
        }
        String cleanPhone = blankToNull(phone);
        if (cleanPhone != null) {
            String raw = cleanPhone;
            cleanPhone = PhoneNumbers.e164(raw, region)
                    .orElseThrow(() -> invalid("phone '" + raw + "' is not a phone number"));
        }
        if (cleanEmail == null && cleanPhone == null) {
            throw invalid("an email address or a phone number is required, to reach the end-user");
        }
        return new EndUser(cleanName, cleanEmail, cleanPhone);
    }

    /** How the end-user is shown: the name, else the address or number. */
    public String displayName() {
        return name != null ? name : email != null ? email : phone;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
