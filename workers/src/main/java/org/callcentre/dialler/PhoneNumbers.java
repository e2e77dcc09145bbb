package org.callcentre.dialler;

import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** Phone numbers as people write them, made E.164 by libphonenumber. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * The number in E.164, or empty when libphonenumber does not accept it as a valid number. {@code region} (an ISO
     * country) is where a number written without + is read.
     */
    public static Optional<String> e164(String raw, String region) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            PhoneNumber number = UTIL.parse(raw.trim(), region);
            if (!UTIL.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The ISO 3166 alpha-2 country of an E.164 number (for a code several countries share, the one whose numbering
     * plan the number fits), or empty when libphonenumber cannot tell.
     */
    public static Optional<String> country(String e164) {
        try {
            String region = UTIL.getRegionCodeForNumber(UTIL.parse(e164, null));
            return region == null || region.equals("ZZ") || region.equals("001") ? Optional.empty()
                    : Optional.of(region);
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Whether libphonenumber knows {@code region} (ISO 3166 alpha-2, upper case) as a country it reads numbers for. */
    public static boolean knownRegion(String region) {
        return region != null && UTIL.getSupportedRegions().contains(region);
    }
}
